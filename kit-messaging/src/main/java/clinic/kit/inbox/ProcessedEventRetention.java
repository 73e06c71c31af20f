package clinic.kit.inbox;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes {@code processed_event} rows older than {@code clinic.inbox.retention} (7 days): a
 * redelivery comes within minutes, and the rows name events about people (contract 1.1 retention).
 * One statement, safe on every instance at once.
 */
public class ProcessedEventRetention implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ProcessedEventRetention.class);

    private final DatabaseClient db;
    private final Duration retention;
    private final Clock clock;
    private volatile Disposable loop;

    public ProcessedEventRetention(DatabaseClient db, Duration retention, Clock clock) {
        this.db = db;
        this.retention = retention;
        this.clock = clock;
    }

    /** @return rows deleted */
    public Mono<Long> prune() {
        return db.sql("delete from processed_event where processed_at < :cutoff")
                .bind("cutoff", clock.instant().minus(retention))
                .fetch().rowsUpdated();
    }

    @Override
    public void start() {
        loop = Flux.interval(Duration.ofMinutes(3), Duration.ofHours(1))
                .concatMap(t -> prune().onErrorResume(e -> Mono.just(0L)))
                .subscribe(n -> { if (n > 0) log.info("inbox: deleted {} processed-event records older than {}", n, retention); });
    }

    @Override
    public void stop() {
        Disposable l = loop;
        if (l != null) l.dispose();
        loop = null;
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
