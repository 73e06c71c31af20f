/**
 * The staff live stream: each instance LISTENs on one dedicated connection for committed task
 * changes (from any instance) and fans them out to its own SSE clients; Last-Event-ID resumes.
 */
package clinic.callback.stream;
