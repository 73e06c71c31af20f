package clinic.callback.task;

import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Writes the stream's log row of a change and notifies every instance, inside the change's own
 * transaction: Postgres delivers the NOTIFY only on commit, so a rolled-back change is never seen.
 */
@Component
public class TaskChanges {
    public static final String CHANNEL = "callback_changes";
    public static final String REQUESTED = "callback.requested";
    public static final String CLAIMED = "callback.claimed";
    public static final String RELEASED = "callback.released";
    public static final String ATTEMPTED = "callback.attempted";
    public static final String COMPLETED = "callback.completed";

    /**
     * Two-int advisory lock key (a different key space from the outbox relay's bigint lock).
     * Held until commit, it makes task_change rows commit in seq order, so a reader resuming
     * "after seq N" never misses a row that took a lower seq but committed later.
     */
    private static final int LOCK_CLASS = 0x0CB;
    private static final int LOCK_LOG = 1;

    private final DatabaseClient db;

    TaskChanges(DatabaseClient db) {
        this.db = db;
    }

    /** Must run inside the transaction of the change. */
    public Mono<Long> record(UUID callbackId, String event) {
        return db.sql("select pg_advisory_xact_lock(:c, :k)").bind("c", LOCK_CLASS).bind("k", LOCK_LOG)
                .fetch().rowsUpdated()
                .then(db.sql("""
                        with c as (insert into task_change (callback_id, event) values (:id, :event) returning seq)
                        select seq, pg_notify('%s', seq::text) from c
                        """.formatted(CHANNEL))
                        .bind("id", callbackId)
                        .bind("event", event)
                        .map((row, meta) -> row.get("seq", Long.class))
                        .one());
    }
}
