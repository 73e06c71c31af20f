/** HTTP face of the rebuild: {@code /api/admin/analytics/rebuild}, ADMIN only (the kit's security chain (KitSecurity)). */
package clinic.analytics.rebuild.web;
