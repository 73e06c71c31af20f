package clinic.booking.privacy;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Anonymises bookings whose appointment ended longer ago than the retention period and drops old
 * Idempotency-Key answers. Each is one conditional statement, so every instance may run it at once:
 * a row is changed by whichever statement gets to it first and the others find nothing left to do.
 * The booking keeps its ids, dates, prices and location (the books and analytics need no more); the
 * staff desk's cancel reason goes with the customer's details, as it may say what the caller told us.
 */
@Component
public class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final DatabaseClient db;
    private final RetentionProperties props;
    private final Clock clock;

    Retention(DatabaseClient db, RetentionProperties props, Clock clock) {
        this.db = db;
        this.props = props;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${clinic.booking.retention.interval:1h}", initialDelayString = "2m")
    void scheduled() {
        try {
            Long bookings = anonymiseExpired().block();
            Long keys = pruneIdempotencyKeys().block();
            if (bookings != null && bookings > 0) log.info("retention: anonymised {} booking(s)", bookings);
            if (keys != null && keys > 0) log.info("retention: dropped {} idempotency key(s)", keys);
        } catch (RuntimeException e) {
            log.warn("retention: failed, will retry: {}", e.toString());
        }
    }

    /** @return how many bookings this run anonymised */
    public Mono<Long> anonymiseExpired() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return db.sql("""
                        update booking set customer_name = null, customer_email = null, customer_phone = null,
                            notes = null, cancel_reason = null, mail_token_hash = null, anonymised_at = :now
                        where anonymised_at is null and ends_at < :cutoff""")
                .bind("now", now).bind("cutoff", now.minus(props.bookings()))
                .fetch().rowsUpdated();
    }

    public Mono<Long> pruneIdempotencyKeys() {
        return db.sql("delete from idempotency_key where created_at < :cutoff")
                .bind("cutoff", clock.instant().minus(props.idempotency()))
                .fetch().rowsUpdated();
    }
}
