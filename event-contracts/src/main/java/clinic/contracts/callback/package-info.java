/** Events of callback-service, topic {@code callback.events}, keyed by callback id. */
package clinic.contracts.callback;
