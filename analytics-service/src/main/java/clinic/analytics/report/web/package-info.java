/** HTTP face of the figures: {@code /api/analytics/**}, MARKETING or ADMIN (the kit's security chain (KitSecurity)). */
package clinic.analytics.report.web;
