package clinic.offer.offers;

import clinic.contracts.offer.OfferTopics;
import clinic.kit.outbox.Outbox;
import clinic.kit.web.ClinicException;
import io.r2dbc.spi.R2dbcException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Marketing's use cases: each state change commits together with the event it causes. */
@Service
public class OfferService {
    private final OfferRepository offers;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    OfferService(OfferRepository offers, Outbox outbox, TransactionalOperator tx, Clock clock) {
        this.offers = offers;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Creates an offer; one whose window has already begun is LIVE at once and its launch is
     * published in the same transaction (the scheduler never sees it SCHEDULED).
     */
    public Mono<Offer> create(NewOffer n, String by) {
        Instant now = now();
        var violations = n.violations(now);
        if (!violations.isEmpty()) {
            return Mono.error(new ClinicException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
                    "The request has invalid fields", Map.of("violations", violations)));
        }
        OfferStatus status = n.startsAt().isAfter(now) ? OfferStatus.SCHEDULED : OfferStatus.LIVE;
        Offer offer = new Offer(UUID.randomUUID(), n.code(), n.title().trim(), n.description(), n.percentOff(),
                n.amountOffPence(), n.treatmentCategory(), n.treatmentIds(), n.locationIds(), n.startsAt(),
                n.endsAt(), n.maxRedemptions(), n.perCustomerLimit(), n.minimumPricePence(), n.announce(), status,
                0, now, by, null, null);
        Mono<Offer> insert = offers.insert(offer)
                .then(status == OfferStatus.LIVE
                        ? outbox.append(OfferTopics.TOPIC, offer.id().toString(), OfferTopics.LAUNCHED, offer.launched(now))
                        : Mono.empty())
                .thenReturn(offer);
        return tx.transactional(insert)
                .onErrorMap(e -> sqlState(e, "23P01"), e -> new OfferCodeTaken(offer.code()));
    }

    /** Ends a scheduled or live offer now. Ending an ended offer again changes nothing. */
    public Mono<Offer> end(UUID id, String by) {
        Instant now = now();
        Mono<Offer> end = offers.end(id, by, now)
                .flatMap(o -> outbox.append(OfferTopics.TOPIC, o.id().toString(), OfferTopics.ENDED, o.ended()).thenReturn(o))
                .switchIfEmpty(Mono.defer(() -> offers.findById(id)
                        .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Offer")))
                        .flatMap(o -> o.status() == OfferStatus.ENDED ? Mono.just(o)
                                : Mono.error(new OfferAlreadyOver(o.code())))));
        return tx.transactional(end);
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

    static boolean sqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof R2dbcException r && state.equals(r.getSqlState())) return true;
        }
        return false;
    }
}
