package clinic.notification.notification;

import clinic.kit.tx.AfterCommit;
import clinic.kit.web.RequestContext;
import clinic.notification.template.RenderedMessage;
import clinic.notification.template.Templates;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.NoTransactionException;
import reactor.core.publisher.Mono;

/**
 * Renders messages and records them as due. Callers run inside the transaction of the event that
 * causes the message, so the message exists exactly when the event has been applied; the unique
 * (source event, template, recipient) key makes a second delivery of the event a no-op. Each row
 * keeps the caller's trace context, so the mail sent later joins the trace of the event behind it.
 */
@Service
public class Notifications {
    private final DatabaseClient db;
    private final Templates templates;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public Notifications(DatabaseClient db, Templates templates, Clock clock, ApplicationEventPublisher events) {
        this.db = db;
        this.templates = templates;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Published once the transaction that recorded a due message has committed, so the dispatcher
     * sends it now instead of at its next poll (which stays as the safety net).
     */
    public record NotificationsDue() {}

    /**
     * The value that, when given, becomes the From display name of the mail (the clinic it is
     * about) rather than the configured mail-from's own name. The address stays the configured one.
     */
    public static final String SENDER_NAME = "senderName";

    /** A transactional (service) mail. */
    public Mono<Boolean> email(Source source, String template, String recipient, Map<String, String> values,
                               Attachment attachment) {
        RenderedMessage m = templates.email(template, values);
        return insert(source, template, Channel.EMAIL, recipient, false, m, attachment, null, values.get(SENDER_NAME));
    }

    /** A marketing mail: carries an unsubscribe link and is suppressed if consent is gone at send time. */
    public Mono<Boolean> marketingEmail(Source source, String template, String recipient,
                                        Map<String, String> values, String unsubscribeUrl) {
        RenderedMessage m = templates.email(template, values);
        return insert(source, template, Channel.EMAIL, recipient, true, m, null, unsubscribeUrl, values.get(SENDER_NAME));
    }

    public Mono<Boolean> sms(Source source, String template, String phone, Map<String, String> values) {
        String text = templates.sms(template, values);
        return insert(source, template, Channel.SMS, phone, false, new RenderedMessage(null, text, null), null, null, null);
    }

    private Mono<Boolean> insert(Source source, String template, Channel channel, String recipient,
                                 boolean marketing, RenderedMessage m, Attachment attachment, String unsubscribeUrl,
                                 String senderName) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return RequestContext.current().flatMap(ctx -> {
            var spec = db.sql("""
                            insert into notification (id, source_event_id, source_event_type, template, channel, recipient,
                                marketing, subject, body_text, body_html, attachment_name, attachment_type, attachment,
                                unsubscribe_url, status, attempts, next_attempt_at, created_at, traceparent, request_id,
                                sender_name)
                            values (:id, :eventId, :eventType, :template, :channel, :recipient, :marketing, :subject,
                                :text, :html, :attName, :attType, :att, :unsub, 'PENDING', 0, :now, :now, :traceparent, :requestId,
                                :senderName)
                            on conflict on constraint notification_once do nothing
                            """)
                    .bind("id", UUID.randomUUID())
                    .bind("eventId", source.eventId())
                    .bind("eventType", source.eventType())
                    .bind("template", template)
                    .bind("channel", channel.name())
                    .bind("recipient", recipient)
                    .bind("marketing", marketing)
                    .bind("text", m.text())
                    .bind("now", now);
            spec = bindNullable(spec, "subject", m.subject());
            spec = bindNullable(spec, "html", m.html());
            spec = bindNullable(spec, "attName", attachment == null ? null : attachment.fileName());
            spec = bindNullable(spec, "attType", attachment == null ? null : attachment.contentType());
            spec = bindNullable(spec, "att", attachment == null ? null : attachment.content());
            spec = bindNullable(spec, "unsub", unsubscribeUrl);
            spec = bindNullable(spec, "traceparent", ctx.traceparent());
            spec = bindNullable(spec, "requestId", ctx.requestId());
            spec = bindNullable(spec, "senderName", senderName == null || senderName.isBlank() ? null : senderName);
            return spec.fetch().rowsUpdated()
                    .flatMap(n -> n > 0 ? announceAfterCommit().thenReturn(true) : Mono.just(false));
        });
    }

    private Mono<Void> announceAfterCommit() {
        Runnable announce = () -> events.publishEvent(new NotificationsDue());
        return AfterCommit.run(announce)
                // Outside a transaction the row is already visible.
                .onErrorResume(NoTransactionException.class, e -> Mono.fromRunnable(announce));
    }

    private static DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec,
                                                                  String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
