/**
 * What every request meets before routing: access log, security headers, CORS, path hygiene and
 * the request body limit.
 */
package clinic.gateway.edge;
