/**
 * The audit log: every write by a signed-in user is recorded by the service that owns the write, in
 * the write's own transaction; each service serves its entries at {@code GET /api/admin/audit} and
 * the gateway merges them into one list.
 */
package clinic.kit.audit;
