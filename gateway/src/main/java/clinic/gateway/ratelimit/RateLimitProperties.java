package clinic.gateway.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicWrites      bucket per client for anonymous writes (bookings, callbacks, newsletter)
 * @param login             bucket per client for sign-in attempts
 * @param trustForwardedFor take the client address from the right-most {@code X-Forwarded-For}
 *                          entry (the one our own proxy appended); only when such a proxy exists,
 *                          otherwise any client could pick its own bucket
 * @param storeTimeout      longest wait for the shared limits' database on a request; after it
 *                          public writes go ahead and sign-ins are refused (docs/adr/0009)
 * @param cleanupEvery      how often each instance deletes rows that no longer limit anyone
 */
@ConfigurationProperties("clinic.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue Limit publicWrites,
        @DefaultValue Limit login,
        @DefaultValue("false") boolean trustForwardedFor,
        @DefaultValue("250ms") Duration storeTimeout,
        @DefaultValue("1m") Duration cleanupEvery) {

    /**
     * @param perSecond tokens added per second (the sustained rate)
     * @param burst     bucket size (the most requests accepted at once)
     */
    public record Limit(@DefaultValue("50") double perSecond, @DefaultValue("100") int burst) {
        public Limit {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs per-second > 0 and burst >= 1");
            }
        }
    }
}
