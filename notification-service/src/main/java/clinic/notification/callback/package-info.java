/**
 * Messages about callback requests: a receipt to the customer, an alert to the staff inbox of the
 * location, and the start of a newsletter subscription when the customer opted in.
 */
package clinic.notification.callback;
