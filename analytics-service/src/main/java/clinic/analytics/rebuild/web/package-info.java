/** HTTP face of the rebuild: {@code /api/admin/analytics/rebuild}, ADMIN only (the kit's TokenFilter). */
package clinic.analytics.rebuild.web;
