package clinic.offer.offers;

import clinic.contracts.offer.OfferTopics;
import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import clinic.kit.web.ClinicException;
import clinic.kit.web.ClinicException.Violation;
import clinic.offer.catalogue.CatalogueCopy;
import clinic.kit.data.SqlStates;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Marketing's use cases: each state change commits together with the event it causes and its
 * audit-log entry.
 */
@Service
public class OfferService {
    private final OfferRepository offers;
    private final CatalogueCopy catalogue;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final Clock clock;

    OfferService(OfferRepository offers, CatalogueCopy catalogue, Outbox outbox, AuditLog audit,
                 TransactionalOperator tx, Clock clock) {
        this.offers = offers;
        this.catalogue = catalogue;
        this.outbox = outbox;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Creates an offer for a signed-in user, after checking every treatment, location and category
     * it names against the catalogue copy; one whose window has already begun is LIVE at once and
     * its launch is published in the same transaction (the scheduler never sees it SCHEDULED).
     * Recorded in the audit log with the offer.
     */
    public Mono<Offer> create(NewOffer n, String by) {
        List<Violation> violations = n.violations(now());
        return catalogue.known(n.treatmentIds(), n.locationIds(), n.treatmentCategory())
                .flatMap(known -> {
                    violations.addAll(unknownIds(n, known));
                    return violations.isEmpty() ? insert(n, by) : Mono.error(invalid(violations));
                });
    }

    /**
     * Creates an offer without asking the catalogue copy: for the platform's own demo offer, made at
     * start-up, when the copy may not yet have read the catalogue that names its category.
     */
    Mono<Offer> createUnchecked(NewOffer n, String by) {
        List<Violation> violations = n.violations(now());
        return violations.isEmpty() ? insert(n, by) : Mono.error(invalid(violations));
    }

    /**
     * Ids the copy has never heard of. An inactive treatment or location still counts as known: an
     * offer may well be prepared for a clinic that opens next month. Right after booking-service
     * creates something, its event may not have arrived yet: the answer is then the same 400, and
     * a retry moments later succeeds.
     */
    private static List<Violation> unknownIds(NewOffer n, CatalogueCopy.Known known) {
        List<Violation> v = new ArrayList<>();
        for (int i = 0; i < n.treatmentIds().size(); i++) {
            String id = n.treatmentIds().get(i);
            if (id != null && !id.isBlank() && !known.treatmentIds().contains(id)) {
                v.add(new Violation("treatmentIds[" + i + "]", "is not a known treatment"));
            }
        }
        for (int i = 0; i < n.locationIds().size(); i++) {
            String id = n.locationIds().get(i);
            if (id != null && !id.isBlank() && !known.locationIds().contains(id)) {
                v.add(new Violation("locationIds[" + i + "]", "is not a known location"));
            }
        }
        if (n.treatmentCategory() != null && !known.category()) {
            v.add(new Violation("treatmentCategory", "is not the category of any known treatment"));
        }
        return v;
    }

    private Mono<Offer> insert(NewOffer n, String by) {
        Instant now = now();
        OfferStatus status = n.startsAt().isAfter(now) ? OfferStatus.SCHEDULED : OfferStatus.LIVE;
        Offer offer = new Offer(UUID.randomUUID(), n.code(), n.title().trim(), n.description(), n.percentOff(),
                n.amountOffPence(), n.treatmentCategory(), n.treatmentIds(), n.locationIds(), n.startsAt(),
                n.endsAt(), n.maxRedemptions(), n.perCustomerLimit(), n.minimumPricePence(), n.announce(), status,
                0, now, by, null, null);
        Mono<Offer> insert = offers.insert(offer)
                .then(status == OfferStatus.LIVE
                        ? outbox.append(OfferTopics.TOPIC, offer.id().toString(), OfferTopics.LAUNCHED, offer.launched(now))
                        : Mono.empty())
                .then(audit.record(by, status == OfferStatus.LIVE ? "offer.launched" : "offer.scheduled",
                        target(offer), auditDetails(offer)))
                .thenReturn(offer);
        return tx.transactional(insert)
                .onErrorMap(e -> SqlStates.is(e, SqlStates.EXCLUSION_VIOLATION), e -> new OfferCodeTaken(offer.code()));
    }

    /**
     * Edits a scheduled offer before it starts, with the same checks as a new one, and its start
     * still ahead. Nothing is published: the offer's launch, at its (new) start, carries what it
     * says then. Bookings already made with the code keep the discount they were given. A live or
     * finished offer: 409 {@code offer_not_scheduled}. Recorded in the audit log.
     */
    public Mono<Offer> edit(UUID id, NewOffer n, String by) {
        Instant now = now();
        return offers.findById(id)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Offer")))
                .flatMap(current -> {
                    if (current.status() != OfferStatus.SCHEDULED) {
                        return Mono.error(new OfferNotScheduled(current.code(), current.status()));
                    }
                    List<Violation> violations = n.violations(now);
                    if (n.startsAt() != null && !n.startsAt().isAfter(now)) {
                        violations.add(new Violation("startsAt", "must still be ahead: a scheduled offer is edited before it starts"));
                    }
                    if (n.maxRedemptions() != null && n.maxRedemptions() < current.taken()) {
                        violations.add(new Violation("maxRedemptions",
                                "cannot be below the " + current.taken() + " places already taken"));
                    }
                    return catalogue.known(n.treatmentIds(), n.locationIds(), n.treatmentCategory()).flatMap(known -> {
                        violations.addAll(unknownIds(n, known));
                        return violations.isEmpty() ? update(current, n, by, now) : Mono.error(invalid(violations));
                    });
                });
    }

    private Mono<Offer> update(Offer current, NewOffer n, String by, Instant now) {
        Offer edited = new Offer(current.id(), n.code(), n.title().trim(), n.description(), n.percentOff(),
                n.amountOffPence(), n.treatmentCategory(), n.treatmentIds(), n.locationIds(), n.startsAt(), n.endsAt(),
                n.maxRedemptions(), n.perCustomerLimit(), n.minimumPricePence(), n.announce(), current.status(),
                current.taken(), current.createdAt(), current.createdBy(), null, null);
        Mono<Offer> update = offers.updateScheduled(edited, now)
                // Launched (or ended) between the read and the update.
                .switchIfEmpty(Mono.defer(() -> offers.findById(current.id())
                        .flatMap(o -> Mono.<Offer>error(new OfferNotScheduled(o.code(), o.status())))))
                .flatMap(o -> audit.record(by, "offer.edited", target(o), auditDetails(o)).thenReturn(o));
        return tx.transactional(update)
                .onErrorMap(e -> SqlStates.is(e, SqlStates.EXCLUSION_VIOLATION), e -> new OfferCodeTaken(edited.code()));
    }

    /** Ends a scheduled or live offer now. Ending an ended offer again changes nothing (and records nothing). */
    public Mono<Offer> end(UUID id, String by) {
        Instant now = now();
        Mono<Offer> end = offers.end(id, by, now)
                .flatMap(o -> outbox.append(OfferTopics.TOPIC, o.id().toString(), OfferTopics.ENDED, o.ended())
                        .then(audit.record(by, "offer.ended", target(o), auditDetails(o)))
                        .thenReturn(o))
                .switchIfEmpty(Mono.defer(() -> offers.findById(id)
                        .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Offer")))
                        .flatMap(o -> o.status() == OfferStatus.ENDED ? Mono.just(o)
                                : Mono.error(new OfferAlreadyOver(o.code())))));
        return tx.transactional(end);
    }

    private static String target(Offer o) {
        return "offer/" + o.id();
    }

    /** What a reader of the audit log needs to recognise the offer: its code, window, discount and scope. */
    static Map<String, Object> auditDetails(Offer o) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("code", o.code());
        d.put("startsAt", o.startsAt().toString());
        d.put("endsAt", o.endsAt().toString());
        if (o.percentOff() != null) d.put("percentOff", o.percentOff());
        if (o.amountOffPence() != null) d.put("amountOffPence", o.amountOffPence());
        if (o.treatmentCategory() != null) d.put("treatmentCategory", o.treatmentCategory());
        if (!o.treatmentIds().isEmpty()) d.put("treatmentIds", o.treatmentIds());
        if (!o.locationIds().isEmpty()) d.put("locationIds", o.locationIds());
        if (o.maxRedemptions() != null) d.put("maxRedemptions", o.maxRedemptions());
        return d;
    }

    private static ClinicException invalid(List<Violation> violations) {
        return new ClinicException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
                "The request has invalid fields", Map.of("violations", violations));
    }

    public Flux<OfferRepository.Counted> all() {
        return offers.findAllCounted();
    }

    public Mono<OfferRepository.Counted> get(UUID id) {
        return offers.findCounted(id).switchIfEmpty(Mono.error(() -> ClinicException.notFound("Offer")));
    }

    /** What customers may use: every offer not expired or ended. */
    public Flux<Offer> open() {
        return offers.findOpen(now());
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: what is returned equals what a later read gives.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
