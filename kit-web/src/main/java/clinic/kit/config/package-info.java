/** Spring Boot auto-configuration of the kit and its shared defaults. */
package clinic.kit.config;
