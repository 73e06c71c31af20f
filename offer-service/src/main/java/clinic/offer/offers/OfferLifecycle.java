package clinic.offer.offers;

import clinic.contracts.offer.OfferTopics;
import clinic.kit.outbox.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Moves offers SCHEDULED → LIVE → EXPIRED on their own. Each pass is one transaction of
 * conditional updates that return the rows they changed, with the event of each change appended
 * in the same transaction: however many instances or threads run a pass at once, a transition
 * happens and is published exactly once. A pass compares with "now", so moments missed while no
 * instance ran are caught up by the first pass after a start.
 */
@Component
public class OfferLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OfferLifecycle.class);

    private final OfferRepository offers;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    OfferLifecycle(OfferRepository offers, Outbox outbox, TransactionalOperator tx, Clock clock) {
        this.offers = offers;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${clinic.offers.lifecycle-interval:1s}")
    void tick() {
        try {
            advance(clock.instant()).block(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            log.warn("offer lifecycle pass failed, next pass retries: {}", e.toString());
        }
    }

    /** Launches and expires what is due at {@code now}; emits how many transitions this call made. */
    public Mono<Long> advance(Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Mono<Long> launched = offers.launchDue(now)
                .concatMap(o -> outbox.append(OfferTopics.TOPIC, o.id().toString(), OfferTopics.LAUNCHED, o.launched(now))
                        .doOnSuccess(id -> log.info("offer {} ({}) is live", o.code(), o.id())))
                .count();
        Mono<Long> expired = offers.expireDue(now)
                .concatMap(o -> outbox.append(OfferTopics.TOPIC, o.id().toString(), OfferTopics.EXPIRED, o.expired(now))
                        .doOnSuccess(id -> log.info("offer {} ({}) expired", o.code(), o.id())))
                .count();
        return tx.transactional(launched.flatMap(l -> expired.map(e -> l + e)));
    }
}
