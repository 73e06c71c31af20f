/** Helpers for services' own databases (R2DBC on PostgreSQL): SQLSTATE checks. */
package clinic.kit.data;
