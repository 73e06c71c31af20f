/** Typed settings of callback-service; every one has an environment variable in application.yml. */
package clinic.callback.config;
