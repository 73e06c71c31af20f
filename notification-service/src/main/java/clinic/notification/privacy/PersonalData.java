package clinic.notification.privacy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * What notification-service holds about one person: their newsletter subscription (with the
 * record of consent) and the log of messages to their address, or to a phone of theirs that a
 * booking reminder holds. Message bodies are not kept once sent, so the log is all there is.
 */
@Service
public class PersonalData {
    private final DatabaseClient db;

    PersonalData(DatabaseClient db) {
        this.db = db;
    }

    public record Subscription(String email, String status, String consentSource, String policyVersion,
                               Instant consentedAt, Instant confirmedAt, Instant unsubscribedAt) {}

    public record Message(String id, String eventType, String channel, String recipient, String template,
                          String status, int attempts, Instant createdAt, Instant sentAt) {}

    /** {@code newsletter} null when the person never subscribed. */
    public record Export(Subscription newsletter, List<Message> notifications) {}

    public Mono<Export> export(String email) {
        String address = email.trim();
        Mono<Subscription> newsletter = db.sql("select * from subscriber where lower(email) = lower(:email)")
                .bind("email", address)
                .map((r, m) -> new Subscription(r.get("email", String.class), r.get("status", String.class),
                        r.get("consent_source", String.class), r.get("policy_version", String.class),
                        instant(r.get("consented_at", OffsetDateTime.class)),
                        instant(r.get("confirmed_at", OffsetDateTime.class)),
                        instant(r.get("unsubscribed_at", OffsetDateTime.class))))
                .one();
        Mono<List<Message>> messages = db.sql("""
                        select * from notification
                        where lower(recipient) = lower(:email)
                           or recipient in (select phone from booking_reminder
                                            where lower(email) = lower(:email) and phone is not null)
                        order by created_at desc""")
                .bind("email", address)
                .fetch().all()
                .map(PersonalData::message)
                .collectList();
        return newsletter.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .zipWith(messages, (n, m) -> new Export(n.orElse(null), m));
    }

    private static Message message(Map<String, Object> r) {
        return new Message(r.get("id").toString(), (String) r.get("source_event_type"), (String) r.get("channel"),
                (String) r.get("recipient"), (String) r.get("template"), (String) r.get("status"),
                ((Number) r.get("attempts")).intValue(), instant(r.get("created_at")), instant(r.get("sent_at")));
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof Instant i) return i;
        return null;
    }
}
