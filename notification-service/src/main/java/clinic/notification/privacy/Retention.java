package clinic.notification.privacy;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Prunes the notification log and done reminders after their period, and drops newsletter sign-ups
 * never confirmed (their confirmation link dies with them). Each is one conditional statement, safe
 * on every instance at once. Messages still to be sent are never pruned.
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

    @Scheduled(fixedDelayString = "${clinic.notifications.retention.interval:1h}", initialDelayString = "2m")
    void scheduled() {
        try {
            long n = pruneLog().block() + dropUnconfirmedSignUps().block();
            if (n > 0) log.info("retention: removed {} old row(s)", n);
        } catch (RuntimeException e) {
            log.warn("retention: failed, will retry: {}", e.toString());
        }
    }

    /** @return messages and reminders removed */
    public Mono<Long> pruneLog() {
        Instant cutoff = clock.instant().minus(props.notificationLog());
        return db.sql("delete from notification where created_at < :cutoff and status in ('SENT', 'FAILED', 'SUPPRESSED')")
                .bind("cutoff", cutoff).fetch().rowsUpdated()
                .zipWith(db.sql("delete from booking_reminder where status <> 'SCHEDULED' and updated_at < :cutoff")
                        .bind("cutoff", cutoff).fetch().rowsUpdated(), Long::sum);
    }

    /** @return sign-ups removed */
    public Mono<Long> dropUnconfirmedSignUps() {
        return db.sql("delete from subscriber where status = 'PENDING' and consented_at < :cutoff")
                .bind("cutoff", clock.instant().minus(props.unconfirmedSignUps())).fetch().rowsUpdated();
    }
}
