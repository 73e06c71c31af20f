/** Typed settings of the service: where links point, who mail comes from, where staff alerts go. */
package clinic.notification.config;
