/**
 * Message templates (files under {@code templates/}) and the clinic's way of writing money and
 * times. Values are escaped in HTML parts, because names and messages come from customers.
 */
package clinic.notification.template;
