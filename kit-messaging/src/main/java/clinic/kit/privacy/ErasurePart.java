package clinic.kit.privacy;

import clinic.contracts.privacy.ErasureCompleted;
import clinic.contracts.privacy.ErasureRequested;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.audit.AuditLog;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import clinic.kit.outbox.Outbox;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One service's part of an erasure on request (docs/privacy.md), once per event through the kit's
 * inbox and so in one transaction: the address comes from booking-service ({@link ErasureSubjects},
 * never from the topic), the service erases its own rows ({@link #erase}), records
 * {@code privacy.erased} in its audit log with counts only, and publishes
 * {@code privacy.erasure_completed.v1} through its outbox. A completion is published even when
 * nothing was found or the request is already DONE: "nothing here" is an answer too. Other
 * services' completions on the topic are declined unread.
 */
public abstract class ErasurePart implements EventHandler {
    private static final Logger log = LoggerFactory.getLogger(ErasurePart.class);

    private final String service;
    private final ErasureSubjects subjects;
    private final Outbox outbox;
    private final AuditLog audit;

    protected ErasurePart(String service, ErasureSubjects subjects, Outbox outbox, AuditLog audit) {
        this.service = service;
        this.subjects = subjects;
        this.outbox = outbox;
        this.audit = audit;
    }

    /**
     * Erases or anonymises this service's rows of that address.
     *
     * @return what was touched, for the audit entry (counts, never the address)
     */
    protected abstract Mono<Map<String, Long>> erase(String email);

    @Override
    public final Collection<String> topics() {
        return List.of(PrivacyTopics.TOPIC);
    }

    @Override
    public final String consumerName() {
        return "privacy-events";
    }

    @Override
    public final boolean wants(InboundEvent e) {
        return PrivacyTopics.ERASURE_REQUESTED.equals(e.type());
    }

    @Override
    public final Mono<Void> handle(InboundEvent e) {
        if (!wants(e)) return Mono.empty();
        String id = e.payloadAs(ErasureRequested.class).erasureId();
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new PoisonEvent(e.type() + " " + e.id() + " has an erasureId that is not a UUID", ex);
        }
        return subjects.email(id)
                .flatMap(this::erase)
                .defaultIfEmpty(Map.of())
                .flatMap(counts -> audit.record(AuditLog.system(service), "privacy.erased", "erasure/" + id, counts)
                        .doOnSuccess(x -> log.info("erasure {}: {} erased its part {}", id, service, counts)))
                .then(outbox.append(PrivacyTopics.TOPIC, id, PrivacyTopics.ERASURE_COMPLETED,
                        new ErasureCompleted(id, service)))
                .then();
    }
}
