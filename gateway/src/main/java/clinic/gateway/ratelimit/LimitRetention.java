package clinic.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes the shared limits' rows that no longer limit anyone (a full bucket, a username without an
 * attempt in the window), so a flood of distinct addresses costs rows only while it lasts. Every
 * instance runs it: the deletes take batches with SKIP LOCKED and a row deleted twice is no harm.
 */
@Component
class LimitRetention implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LimitRetention.class);

    private final List<ExpiringLimit> limits;
    private final Duration every;
    private volatile Disposable loop;

    LimitRetention(List<ExpiringLimit> limits, RateLimitProperties props) {
        this.limits = limits;
        this.every = props.cleanupEvery();
    }

    /** Every limit until a batch comes back short; the total deleted. */
    Mono<Long> pruneAll() {
        return Flux.fromIterable(limits)
                .concatMap(limit -> limit.prune()
                        .expand(n -> n > 0 ? limit.prune() : Mono.empty())
                        .reduce(0L, Long::sum)
                        .doOnNext(n -> { if (n > 0) log.debug("deleted {} {}", n, limit.name()); }))
                .reduce(0L, Long::sum);
    }

    @Override
    public void start() {
        loop = Flux.interval(every, every)
                .onBackpressureDrop()
                .concatMap(t -> pruneAll().onErrorResume(e -> {
                    log.warn("cannot delete expired limit rows (trying again in {}): {}", every, e.toString());
                    return Mono.just(0L);
                }), 1)
                .subscribe();
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
