/** HTTP face of the figures: {@code /api/analytics/**}, MARKETING or ADMIN (the kit's TokenFilter). */
package clinic.analytics.report.web;
