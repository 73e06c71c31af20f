package clinic.notification.dispatch;

import clinic.contracts.notification.NotificationFailed;
import clinic.contracts.notification.NotificationSent;
import clinic.contracts.notification.NotificationTopics;
import clinic.kit.outbox.Outbox;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.RequestContext;
import clinic.notification.config.DispatchProperties;
import clinic.notification.newsletter.Newsletter;
import clinic.notification.notification.Channel;
import clinic.notification.notification.Notifications;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Sends due notifications. A claim is one conditional UPDATE over {@code FOR UPDATE SKIP LOCKED}
 * rows that pushes {@code next_attempt_at} a lease ahead, so two instances never send the same row
 * at once and a crashed sender's rows come back after the lease. Each outcome is written with a
 * guard on the claimed attempt number, in one transaction with its outbox event. Each attempt is
 * a CLIENT span in the trace of the event that caused the message (stored in its row), and the
 * outcome's event continues that trace.
 *
 * <p>How many attempts and how long between them is the resilience4j retry instance
 * {@value #RETRY} in application.yml. Only its schedule is used, not {@code Retry}'s own loop: the
 * next attempt is a row's {@code next_attempt_at}, so a retry survives a restart, runs on any
 * instance and holds no thread or lease for the minutes the schedule spans.
 */
@Component
public class Dispatcher implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final String ACTIVE = "status in ('PENDING', 'RETRYING')";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Outbox outbox;
    private final MailGateway mail;
    private final SmsProvider sms;
    private final Newsletter newsletter;
    private final DispatchProperties props;
    private final Clock clock;
    /** The retry instance in application.yml whose schedule this follows. */
    static final String RETRY = "notification-delivery";

    private final IntervalBiFunction<Object> backoff;
    private final int maxAttempts;
    private final DeliveryMetrics metrics;
    private final Tracing tracing;
    private volatile Disposable loop;
    private final Sinks.Many<Long> wakeUps = Sinks.many().multicast().directBestEffort();
    private volatile Disposable waitingCount;

    Dispatcher(DatabaseClient db, TransactionalOperator tx, Outbox outbox, MailGateway mail, SmsProvider sms,
               Newsletter newsletter, DispatchProperties props, Clock clock, DeliveryMetrics metrics,
               Tracing tracing, RetryRegistry retries) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.mail = mail;
        this.sms = sms;
        this.newsletter = newsletter;
        this.props = props;
        this.clock = clock;
        // find, not retry(name): a name missing from the yml would quietly get library defaults (3 tries, 500 ms).
        Retry retry = retries.find(RETRY).orElseThrow(() -> new IllegalStateException(
                "resilience4j.retry.instances." + RETRY + " is missing from application.yml"));
        this.backoff = retry.getRetryConfig().getIntervalBiFunction();
        this.maxAttempts = retry.getRetryConfig().getMaxAttempts();
    }

    /** Claims and sends batches until nothing is due; returns how many were attempted. */
    public Mono<Long> drain() {
        return dispatchBatch()
                .expand(n -> n >= props.batchSize() ? dispatchBatch() : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> dispatchBatch() {
        return claim().flatMap(this::deliver, Math.max(1, props.concurrency())).count();
    }

    private Flux<Claimed> claim() {
        Instant now = now();
        return db.sql("""
                        update notification n set attempts = n.attempts + 1, next_attempt_at = :leaseUntil
                        where n.id in (select id from notification where %s and next_attempt_at <= :now
                                       order by next_attempt_at limit :batch for update skip locked)
                        returning n.*
                        """.formatted(ACTIVE))
                .bind("leaseUntil", now.plus(props.lease()))
                .bind("now", now)
                .bind("batch", props.batchSize())
                .map(Dispatcher::claimed)
                .all();
    }

    private Mono<Void> deliver(Claimed n) {
        return Mono.defer(() -> {
            TraceSpan span = tracing.start("send " + n.channel().toLowerCase(java.util.Locale.ROOT),
                            Tracing.Kind.CLIENT, n.traceparent())
                    .attribute("clinic.notification.id", n.id().toString())
                    .attribute("clinic.notification.template", n.template())
                    .attribute("clinic.notification.channel", n.channel())
                    .attribute("clinic.notification.attempt", n.attempts());
            Mono<Boolean> allowed = n.marketing() ? newsletter.isConfirmedSubscriber(n.recipient()) : Mono.just(true);
            Mono<Void> outcome = Channel.SMS.name().equals(n.channel()) && !sms.delivers()
                    ? recordOnly(n, span)
                    : allowed.flatMap(ok -> ok ? send(n, span) : suppress(n, span, SUPPRESSED_NOT_SUBSCRIBED));
            return outcome
                    .onErrorResume(e -> {
                        // Recording the outcome failed (database down): the lease brings the row back.
                        log.warn("notification {}: could not record the outcome: {}", n.id(), e.toString());
                        span.error(e);
                        return Mono.empty();
                    })
                    // The outcome's log lines and outbox event belong to this attempt's span.
                    .contextWrite(RequestContext.of(n.requestId(), span.traceparent()).asReactorContext())
                    .doFinally(signal -> span.end());
        });
    }

    private Mono<Void> send(Claimed n, TraceSpan span) {
        Mono<Void> attempt = Mono.fromRunnable(() -> {
            try {
                if (Channel.SMS.name().equals(n.channel())) {
                    sms.send(n.recipient(), n.text());
                } else {
                    mail.send(n);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new DeliveryFailed(e);
            }
        });
        return attempt.subscribeOn(Schedulers.boundedElastic())
                .doOnError(span::error)
                .then(Mono.defer(() -> sent(n)))
                .onErrorResume(e -> !(e instanceof OutcomeNotRecorded), e -> failed(n, e));
    }

    private Mono<Void> sent(Claimed n) {
        Instant now = now();
        return tx.transactional(db.sql("""
                        update notification set status = 'SENT', sent_at = :now, next_attempt_at = null,
                            last_error = null, body_text = null, body_html = null, attachment = null
                        where id = :id and attempts = :attempts and %s
                        """.formatted(ACTIVE))
                        .bind("now", now).bind("id", n.id()).bind("attempts", n.attempts())
                        .fetch().rowsUpdated()
                        .filter(updated -> updated > 0)
                        .flatMap(updated -> outbox.append(NotificationTopics.TOPIC, n.id().toString(),
                                NotificationTopics.SENT, new NotificationSent(n.id().toString(), n.sourceEventId(),
                                        n.sourceEventType(), n.template(), n.channel(), n.attempts(), n.createdAt(),
                                        now))))
                // The mail has gone: if the database is away, keep trying to record that (well
                // inside the lease) rather than let the lease expire and send it a second time.
                .retryWhen(reactor.util.retry.Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                        .maxBackoff(Duration.ofSeconds(5))
                        .filter(clinic.kit.web.ProblemMapper::isDependencyUnavailable))
                .timeout(props.lease().dividedBy(2))
                .doOnNext(id -> {
                    metrics.sent(n.channel());
                    log.info("notification {} ({}) sent after {} attempt(s)", n.id(), n.template(), n.attempts());
                })
                .onErrorMap(OutcomeNotRecorded::new)
                .then();
    }

    private Mono<Void> failed(Claimed n, Throwable error) {
        Instant now = now();
        String reason = reason(error);
        if (n.attempts() >= maxAttempts) {
            log.error("notification {} ({}) FAILED after {} attempts: {}", n.id(), n.template(), n.attempts(), reason);
            return tx.transactional(db.sql("""
                            update notification set status = 'FAILED', next_attempt_at = null, last_error = :reason
                            where id = :id and attempts = :attempts and %s
                            """.formatted(ACTIVE))
                            .bind("reason", reason).bind("id", n.id()).bind("attempts", n.attempts())
                            .fetch().rowsUpdated()
                            .filter(updated -> updated > 0)
                            .flatMap(updated -> outbox.append(NotificationTopics.TOPIC, n.id().toString(),
                                    NotificationTopics.FAILED, new NotificationFailed(n.id().toString(),
                                            n.sourceEventId(), n.sourceEventType(), n.template(), n.channel(),
                                            n.attempts(), reason, n.createdAt(), now))))
                    .doOnNext(id -> metrics.failed(n.channel()))
                    .then();
        }
        Duration wait = Duration.ofMillis(backoff.apply(n.attempts(), Either.left(error)));
        log.warn("notification {} ({}) attempt {} failed, retrying in {} ms: {}", n.id(), n.template(),
                n.attempts(), wait.toMillis(), reason);
        return db.sql("""
                        update notification set status = 'RETRYING', next_attempt_at = :next, last_error = :reason
                        where id = :id and attempts = :attempts and %s
                        """.formatted(ACTIVE))
                .bind("next", now.plus(wait)).bind("reason", reason).bind("id", n.id())
                .bind("attempts", n.attempts())
                .fetch().rowsUpdated()
                .doOnNext(updated -> {
                    if (updated > 0) metrics.retrying(n.channel());
                })
                .then();
    }

    private static final String SUPPRESSED_NOT_SUBSCRIBED = "the recipient is not a confirmed subscriber";
    private static final String SUPPRESSED_NO_SMS_PROVIDER = "no SMS provider is configured: the text was logged, not sent";

    /** The SMS stand-in only logs the text: record that honestly as suppressed, with the reason. */
    private Mono<Void> recordOnly(Claimed n, TraceSpan span) {
        return Mono.fromRunnable(() -> sms.send(n.recipient(), n.text()))
                .subscribeOn(Schedulers.boundedElastic())
                .then(suppress(n, span, SUPPRESSED_NO_SMS_PROVIDER));
    }

    private Mono<Void> suppress(Claimed n, TraceSpan span, String reason) {
        span.attribute("clinic.notification.outcome", "suppressed");
        log.info("notification {} ({}) suppressed: {}", n.id(), n.template(), reason);
        return db.sql("""
                        update notification set status = 'SUPPRESSED', next_attempt_at = null, last_error = :reason,
                            body_text = null, body_html = null, attachment = null
                        where id = :id and attempts = :attempts and %s
                        """.formatted(ACTIVE))
                .bind("reason", reason).bind("id", n.id()).bind("attempts", n.attempts())
                .then();
    }

    static String reason(Throwable e) {
        Throwable root = e instanceof DeliveryFailed && e.getCause() != null ? e.getCause() : e;
        StringBuilder text = new StringBuilder(root.getClass().getSimpleName()).append(": ").append(root.getMessage());
        // The mail server's own words are nested (SendFailedException "Invalid Addresses" → "550 5.1.1 …",
        // "Could not connect" → "Connection refused"): keep them, as JavaMailSender's MailSendException did.
        if (root instanceof jakarta.mail.MessagingException) {
            Throwable next = root.getCause();
            for (int i = 0; next != null && i < 3; i++, next = next.getCause()) {
                text.append("; ").append(next.getClass().getSimpleName()).append(": ").append(next.getMessage());
            }
        }
        // A refusal quotes the address ("550 5.1.1 <someone@example.com>: unknown user") and this
        // text is logged: no personal data in logs. The row itself says who the mail was for.
        String masked = ADDRESS.matcher(text).replaceAll("<address>");
        return masked.length() > 500 ? masked.substring(0, 500) : masked;
    }

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("<?[^\\s<>@;:,\"']+@[^\\s<>;,\"']+>?");

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Claimed claimed(Readable row) {
        return new Claimed(row.get("id", UUID.class), row.get("source_event_id", String.class),
                row.get("source_event_type", String.class), row.get("template", String.class),
                row.get("channel", String.class), row.get("recipient", String.class),
                Boolean.TRUE.equals(row.get("marketing", Boolean.class)), row.get("subject", String.class),
                row.get("body_text", String.class), row.get("body_html", String.class),
                row.get("attachment_name", String.class), row.get("attachment_type", String.class),
                row.get("attachment", String.class), row.get("unsubscribe_url", String.class),
                row.get("attempts", Integer.class), row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("traceparent", String.class), row.get("request_id", String.class),
                row.get("sender_name", String.class));
    }

    // ---- the polling loop ----

    @Override
    public void start() {
        if (!props.enabled()) return;
        // Polls, and also wakes when a new message is committed (the poll then only catches retries
        // falling due and anything a wake-up missed). Latest, not drop: a wake-up arriving during a
        // pass is kept for one more pass, so a message committed mid-pass is not left to the poll.
        loop = Flux.merge(Flux.interval(props.pollInterval(), props.pollInterval()), wakeUps.asFlux())
                .onBackpressureLatest()
                .concatMap(tick -> drain().onErrorResume(e -> {
                    log.warn("dispatcher: poll failed: {}", e.toString());
                    return Mono.just(0L);
                }), 1)
                .subscribe();
        // The waiting gauge is a count over the partial index of active rows: cheap, but not worth
        // doing on every 500 ms poll; a scrape every 15 s sees a figure at most 10 s old.
        waitingCount = Flux.interval(Duration.ZERO, Duration.ofSeconds(10))
                .onBackpressureDrop()
                .concatMap(tick -> countWaiting().onErrorResume(e -> {
                    log.warn("dispatcher: could not count notifications waiting for a retry: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    /** Counts the notifications waiting for a retry, by channel, into the gauge (every 10 s, or on demand). */
    public Mono<Void> countWaiting() {
        return db.sql("select channel, count(*) as n from notification where status = 'RETRYING' group by channel")
                .map(row -> java.util.Map.entry(row.get("channel", String.class), row.get("n", Long.class)))
                .all()
                .collectMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)
                .doOnNext(metrics::waiting)
                .then();
    }

    @EventListener
    void onDue(Notifications.NotificationsDue due) {
        wakeUps.tryEmitNext(0L);
    }

    @Override
    public void stop() {
        Disposable l = loop;
        if (l != null) l.dispose();
        loop = null;
        Disposable w = waitingCount;
        if (w != null) w.dispose();
        waitingCount = null;
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }

    /** A checked failure of the mail server, carried through Reactor. */
    static final class DeliveryFailed extends RuntimeException {
        DeliveryFailed(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The message went out but its outcome could not be written: never count that as a failed send. */
    static final class OutcomeNotRecorded extends RuntimeException {
        OutcomeNotRecorded(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
