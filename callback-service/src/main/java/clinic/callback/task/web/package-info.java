/** HTTP face of the staff task queue ({@code /api/staff/callbacks}); STAFF or ADMIN via the kit's TokenFilter. */
package clinic.callback.task.web;
