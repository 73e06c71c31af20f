/** HTTP face of {@code POST /api/callbacks}. */
package clinic.callback.request.web;
