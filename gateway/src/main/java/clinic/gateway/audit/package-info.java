/**
 * The platform's one audit log, {@code GET /api/admin/audit} (ADMIN): each service keeps its own
 * part (kit-data {@code clinic.kit.audit}); the gateway asks them all and merges, newest first.
 */
package clinic.gateway.audit;
