/**
 * The staff side of a callback request: the task, its claim, call attempts and completion, and
 * the change log (task_change) that feeds the live stream.
 */
package clinic.callback.task;
