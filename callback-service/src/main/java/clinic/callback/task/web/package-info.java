/** HTTP face of the staff task queue ({@code /api/staff/callbacks}); STAFF or ADMIN via the kit's security chain (KitSecurity). */
package clinic.callback.task.web;
