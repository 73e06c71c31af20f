package clinic.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** A shared limit whose rows stop mattering after a while; {@link LimitRetention} calls {@link #prune()}. */
public interface ExpiringLimit {
    /** Deletes one batch of rows that no longer limit anyone; the number deleted. */
    Mono<Long> prune();

    /** What the rows are, for the log. */
    String name();
}
