/**
 * The API description: {@code GET /api/openapi.json}, the repository's {@code docs/api/openapi.yaml}
 * (packaged into the jar at build time) served as JSON, public and cacheable.
 */
package clinic.gateway.apidoc;
