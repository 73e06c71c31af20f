package clinic.booking.desk;

import clinic.booking.booking.BookingChanges;
import clinic.booking.booking.BookingChanges.Change;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.r2dbc.R2dbcProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * This instance's view of committed booking changes, whichever instance made them: as
 * callback-service's ChangeFeed does for the board, a dedicated connection (outside the pool)
 * LISTENs on {@link BookingChanges#CHANNEL} and every notification is broadcast to this
 * instance's diary streams. When the listening connection is (re)established, a {@code resync}
 * goes out instead: whatever happened while it was down is not replayed, and the diary reloads
 * its range, which is all it does on a change anyway.
 */
@Component
public class BookingChangeFeed implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(BookingChangeFeed.class);
    /** The event name telling a client to reload (no booking data). */
    public static final String RESYNC = "resync";

    private final ConnectionFactory listenConnections;
    private final ObjectMapper mapper;
    private final Sinks.Many<Change> live = Sinks.many().multicast().directBestEffort();
    private volatile Disposable loop;

    BookingChangeFeed(R2dbcProperties r2dbc, ObjectMapper mapper) {
        this.mapper = mapper;
        this.listenConnections = listenConnectionFactory(r2dbc);
    }

    private static ConnectionFactory listenConnectionFactory(R2dbcProperties p) {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(p.getUrl().replaceFirst("^r2dbc:pool:", "r2dbc:"));
        var builder = options.mutate();
        if (p.getUsername() != null) builder.option(ConnectionFactoryOptions.USER, p.getUsername());
        if (p.getPassword() != null) builder.option(ConnectionFactoryOptions.PASSWORD, p.getPassword());
        return ConnectionFactories.get(builder.build());
    }

    /** Changes committed from now on (subscribe before reading the diary, so none falls between). */
    public Flux<Change> changes() {
        return live.asFlux().onBackpressureLatest();
    }

    private Flux<Change> listen() {
        return Flux.usingWhen(listenConnections.create(),
                c -> {
                    PostgresqlConnection pg = (PostgresqlConnection) c;
                    return pg.createStatement("LISTEN " + BookingChanges.CHANNEL).execute()
                            .flatMap(PostgresqlResult::getRowsUpdated)
                            .then(Mono.just(new Change(RESYNC, null, null, null, null)))
                            .doOnNext(x -> log.info("booking change feed: listening on {}", BookingChanges.CHANNEL))
                            .concatWith(pg.getNotifications().flatMap(n -> Mono.justOrEmpty(n.getParameter())
                                    .flatMap(this::parse)));
                },
                c -> Mono.from(c.close()));
    }

    private Mono<Change> parse(String payload) {
        try {
            return Mono.just(mapper.readValue(payload, Change.class));
        } catch (Exception e) {
            log.warn("booking change feed: unreadable notification skipped: {}", e.toString());
            return Mono.empty();
        }
    }

    @Override
    public void start() {
        loop = listen()
                .doOnError(e -> log.warn("booking change feed: listen connection failed, reconnecting: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .repeatWhen(done -> done.delayElements(Duration.ofMillis(200)))
                .subscribe(live::tryEmitNext);
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
}
