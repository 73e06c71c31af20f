package clinic.analytics.notifications;

import clinic.contracts.notification.NewsletterConfirmed;
import clinic.contracts.notification.NotificationFailed;
import clinic.contracts.notification.NotificationSent;
import clinic.contracts.notification.NotificationTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code notification_fact} at each notification's newest outcome, and {@code newsletter_fact}
 * with one row per newsletter confirmation (issue 25).
 */
@Component
class NotificationEvents implements EventHandler {
    private final DatabaseClient db;

    NotificationEvents(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Collection<String> topics() {
        return List.of(NotificationTopics.TOPIC);
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        return switch (e.type()) {
            case NotificationTopics.SENT -> {
                NotificationSent n = e.payloadAs(NotificationSent.class);
                yield upsert(e, 0, n.notificationId(), n.createdAt(), "SENT", n.template(), n.channel());
            }
            case NotificationTopics.FAILED -> {
                NotificationFailed n = e.payloadAs(NotificationFailed.class);
                yield upsert(e, 1, n.notificationId(), n.createdAt(), "FAILED", n.template(), n.channel());
            }
            case NotificationTopics.NEWSLETTER_CONFIRMED -> signUp(e, e.payloadAs(NewsletterConfirmed.class));
            default -> Mono.empty();
        };
    }

    /**
     * One row per (subscription, confirmation time): a redelivery or replay lands on the same row,
     * while a subscription confirmed again after an unsubscribe is a new sign-up.
     */
    private Mono<Void> signUp(InboundEvent e, NewsletterConfirmed n) {
        if (n.subscriptionId() == null || n.confirmedAt() == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks subscriptionId or confirmedAt", null);
        }
        return db.sql("""
                        insert into newsletter_fact (subscription_id, confirmed_at) values (:id, :at)
                        on conflict do nothing
                        """)
                .bind("id", n.subscriptionId()).bind("at", n.confirmedAt())
                .then();
    }

    private Mono<Void> upsert(InboundEvent e, int rank, String id, Instant createdAt, String status,
                              String template, String channel) {
        if (id == null || createdAt == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks notificationId or createdAt", null);
        }
        GenericExecuteSpec spec = db.sql("""
                        insert into notification_fact (notification_id, created_at, status, template, channel,
                            last_event_time, last_event_rank)
                        values (:id, :createdAt, :status, :template, :channel, :time, :rank)
                        on conflict (notification_id) do update set
                            created_at = excluded.created_at,
                            status = excluded.status,
                            template = coalesce(excluded.template, notification_fact.template),
                            channel = coalesce(excluded.channel, notification_fact.channel),
                            last_event_time = excluded.last_event_time,
                            last_event_rank = excluded.last_event_rank
                        where (notification_fact.last_event_time, notification_fact.last_event_rank)
                            < (excluded.last_event_time, excluded.last_event_rank)
                        """)
                .bind("id", id)
                .bind("createdAt", createdAt)
                .bind("status", status)
                .bind("time", e.time())
                .bind("rank", (short) rank);
        spec = template == null ? spec.bindNull("template", String.class) : spec.bind("template", template);
        spec = channel == null ? spec.bindNull("channel", String.class) : spec.bind("channel", channel);
        return spec.then();
    }
}
