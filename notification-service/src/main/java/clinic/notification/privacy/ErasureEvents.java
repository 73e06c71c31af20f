package clinic.notification.privacy;

import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import clinic.kit.privacy.ErasurePart;
import clinic.kit.privacy.ErasureSubjects;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Erasure on request, notification-service's part (docs/privacy.md), once per event through the kit's
 * inbox, in one transaction: the address comes from booking-service (never from the topic); the
 * person's phone numbers are those their reminders hold. Then:
 * <ul>
 *   <li>reminders of that address still to come are CANCELLED, and every reminder of theirs loses name,
 *       address and phone (the booking id, times and status stay);</li>
 *   <li>messages to the address or those phones that have not gone yet are SUPPRESSED ("erased on
 *       request"), so no mail or SMS reaches them after the erasure; every message of theirs keeps its
 *       template, channel, status and times but its recipient becomes {@code erased} and any stored
 *       body, subject, attachment and unsubscribe link go;</li>
 *   <li>the newsletter subscription is deleted (analytics counted its confirmation from the event).</li>
 * </ul>
 * Then {@code privacy.erasure_completed.v1}. Other services' completions are declined unread.
 */
@Component
class ErasureEvents extends ErasurePart {
    static final String SERVICE = "notification-service";

    private final DatabaseClient db;
    private final Clock clock;

    ErasureEvents(ErasureSubjects subjects, DatabaseClient db, Outbox outbox, AuditLog audit, Clock clock) {
        super(SERVICE, subjects, outbox, audit);
        this.db = db;
        this.clock = clock;
    }

    /** @return how many messages, reminders and subscriptions were touched (for the audit entry) */
    @Override
    protected Mono<Map<String, Long>> erase(String email) {
        String address = email.trim();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // The messages first: the phones are found through the reminders, which lose them after.
        Mono<Long> messages = db.sql("""
                        update notification
                           set status = case when status in ('PENDING', 'RETRYING') then 'SUPPRESSED' else status end,
                               last_error = case when status in ('PENDING', 'RETRYING') then 'erased on request'
                                                 else last_error end,
                               next_attempt_at = case when status in ('PENDING', 'RETRYING') then null
                                                      else next_attempt_at end,
                               recipient = 'erased', subject = null, body_text = null, body_html = null,
                               attachment = null, attachment_name = null, attachment_type = null,
                               unsubscribe_url = null
                         where lower(recipient) = lower(:email)
                            or recipient in (select phone from booking_reminder
                                             where lower(email) = lower(:email) and phone is not null)""")
                .bind("email", address)
                .fetch().rowsUpdated();
        Mono<Long> reminders = db.sql("""
                        update booking_reminder
                           set status = case when status = 'SCHEDULED' then 'CANCELLED' else status end,
                               customer_name = null, email = null, phone = null, updated_at = :now
                         where lower(email) = lower(:email)""")
                .bind("email", address).bind("now", now)
                .fetch().rowsUpdated();
        Mono<Long> subscriptions = db.sql("delete from subscriber where lower(email) = lower(:email)")
                .bind("email", address)
                .fetch().rowsUpdated();
        return messages.flatMap(m -> reminders.flatMap(r -> subscriptions.map(s -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("notifications", m);
            counts.put("reminders", r);
            counts.put("subscriptions", s);
            return counts;
        })));
    }
}
