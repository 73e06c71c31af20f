package clinic.gateway.session;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param idleTimeout      a session unused this long has ended (sliding: each use moves it on)
 * @param absoluteLifetime a session ends this long after sign-in, however much it is used
 * @param touchEvery       how often an instance re-reads a session it has cached and writes its
 *                         last use (sign-out, disable and role changes made on another instance
 *                         reach this one within it); capped at half the idle timeout
 * @param secureCookie     the cookie's {@code Secure} attribute: on, except where the gateway is
 *                         served over plain http (the local profile)
 * @param cookieName       the cookie's name
 */
@ConfigurationProperties("clinic.gateway.session")
public record SessionProperties(
        @DefaultValue("30m") Duration idleTimeout,
        @DefaultValue("12h") Duration absoluteLifetime,
        @DefaultValue("30s") Duration touchEvery,
        @DefaultValue("true") boolean secureCookie,
        @DefaultValue("CLINIC_SESSION") String cookieName) {

    Duration effectiveTouchEvery() {
        Duration half = idleTimeout.dividedBy(2);
        return touchEvery.compareTo(half) < 0 ? touchEvery : half;
    }
}
