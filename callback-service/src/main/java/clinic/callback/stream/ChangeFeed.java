package clinic.callback.stream;

import clinic.callback.task.TaskChanges;
import clinic.callback.task.TaskQueries;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * This instance's view of committed task changes. A dedicated connection (outside the pool,
 * so it is never handed to a query) LISTENs on {@link TaskChanges#CHANNEL}; each notification
 * (or a periodic safety tick, or a reconnect) triggers a read of every task_change row after
 * the last one delivered, which are then broadcast to this instance's subscribers. Because
 * rows commit in seq order, "after the last delivered seq" never skips one.
 */
@Component
public class ChangeFeed implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int PAGE = 200;
    /** A slow client may fall this far behind before it is cut off; it can resume with Last-Event-ID. */
    private static final int CLIENT_BUFFER = 2048;

    private final DatabaseClient db;
    private final TaskQueries queries;
    private final ConnectionFactory listenConnections;
    private final Sinks.Many<TaskEvent> live = Sinks.many().multicast().directBestEffort();
    private final AtomicLong delivered = new AtomicLong(-1);
    private volatile Disposable loop;

    ChangeFeed(DatabaseClient db, TaskQueries queries, R2dbcProperties r2dbc) {
        this.db = db;
        this.queries = queries;
        this.listenConnections = listenConnectionFactory(r2dbc);
    }

    private static ConnectionFactory listenConnectionFactory(R2dbcProperties p) {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(p.getUrl().replaceFirst("^r2dbc:pool:", "r2dbc:"));
        var builder = options.mutate();
        if (p.getUsername() != null) builder.option(ConnectionFactoryOptions.USER, p.getUsername());
        if (p.getPassword() != null) builder.option(ConnectionFactoryOptions.PASSWORD, p.getPassword());
        return ConnectionFactories.get(builder.build());
    }

    /**
     * Live changes from now on, preceded by every change after {@code lastEventId} when given.
     * The live subscription is taken before this returns, so nothing committed afterwards is
     * missed; call {@link Subscription#close()} when the client goes.
     */
    public Subscription open(Long lastEventId) {
        Sinks.Many<TaskEvent> mine = Sinks.many().unicast().onBackpressureBuffer();
        Disposable upstream = live.asFlux()
                .onBackpressureBuffer(CLIENT_BUFFER, BufferOverflowStrategy.ERROR)
                .subscribe(mine::tryEmitNext, mine::tryEmitError, mine::tryEmitComplete);
        AtomicLong last = new AtomicLong(lastEventId == null ? Long.MIN_VALUE : lastEventId);
        Flux<TaskEvent> replay = lastEventId == null ? Flux.empty() : after(lastEventId);
        // Replay and live overlap while the replay runs; the seq filter drops what was already sent.
        Flux<TaskEvent> events = Flux.concat(replay, mine.asFlux())
                .filter(e -> e.seq() > last.get())
                .doOnNext(e -> last.set(e.seq()));
        return new Subscription(events, upstream);
    }

    public record Subscription(Flux<TaskEvent> events, Disposable upstream) {
        public void close() {
            upstream.dispose();
        }
    }

    /** Every committed change with a seq above {@code seq}, in order, page by page. */
    public Flux<TaskEvent> after(long seq) {
        return page(seq).collectList().flatMapMany(rows -> {
            Flux<TaskEvent> here = Flux.fromIterable(rows).concatMap(this::toEvent);
            if (rows.size() < PAGE) return here;
            return Flux.concat(here, Flux.defer(() -> after(rows.get(rows.size() - 1).seq())));
        });
    }

    private Flux<Change> page(long after) {
        return db.sql("select seq, callback_id, event from task_change where seq > :after order by seq limit :n")
                .bind("after", after).bind("n", PAGE)
                .map((row, meta) -> new Change(row.get("seq", Long.class), row.get("callback_id", UUID.class),
                        row.get("event", String.class)))
                .all();
    }

    private Mono<TaskEvent> toEvent(Change c) {
        return queries.find(c.callbackId()).map(task -> new TaskEvent(c.seq(), c.event(), task));
    }

    /** Reads and broadcasts everything committed since the last broadcast. Runs one at a time. */
    private Mono<Void> deliverNew() {
        return after(delivered.get())
                .doOnNext(e -> {
                    delivered.set(e.seq());
                    live.tryEmitNext(e);
                })
                .then()
                .onErrorResume(e -> {
                    // The next notification or tick retries from the same point.
                    log.warn("change feed: could not read task changes: {}", e.toString());
                    return Mono.empty();
                });
    }

    /** Emits once LISTEN is in place (to catch up), then once per notification; completes when the connection ends. */
    private Flux<Object> listen() {
        return Flux.usingWhen(listenConnections.create(),
                c -> {
                    PostgresqlConnection pg = (PostgresqlConnection) c;
                    return pg.createStatement("LISTEN " + TaskChanges.CHANNEL).execute()
                            .flatMap(PostgresqlResult::getRowsUpdated)
                            .then(Mono.<Object>just("listening"))
                            .doOnNext(x -> log.info("change feed: listening on {}", TaskChanges.CHANNEL))
                            .concatWith(pg.getNotifications().map(n -> (Object) n));
                },
                c -> Mono.from(c.close()));
    }

    @Override
    public void start() {
        // Start at the current end of the log: the stream shows changes from now on (or replays on request).
        Long end = db.sql("select coalesce(max(seq), 0) as seq from task_change")
                .map((row, meta) -> row.get("seq", Long.class)).one().block(Duration.ofSeconds(30));
        delivered.set(end == null ? 0 : end);
        Flux<Object> notifications = listen()
                .doOnError(e -> log.warn("change feed: listen connection failed, reconnecting: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .repeatWhen(done -> done.delayElements(Duration.ofMillis(200)));
        Flux<Object> safetyTick = Flux.interval(Duration.ofSeconds(5)).map(t -> (Object) t);
        loop = Flux.merge(notifications, safetyTick)
                .onBackpressureLatest()
                .concatMap(x -> deliverNew(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        if (loop != null) loop.dispose();
        live.tryEmitComplete();
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }

    @Override
    public int getPhase() {
        // Stop before the web server drains, so open streams end and graceful shutdown is quick.
        return Integer.MAX_VALUE - 1;
    }

    private record Change(long seq, UUID callbackId, String event) {}
}
