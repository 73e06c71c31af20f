package clinic.analytics.offers;

import clinic.contracts.offer.OfferEnded;
import clinic.contracts.offer.OfferExpired;
import clinic.contracts.offer.OfferLaunched;
import clinic.contracts.offer.OfferTopics;
import clinic.contracts.offer.PromoRedeemed;
import clinic.contracts.offer.PromoReleased;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code redemption_fact} and {@code offer_fact} at each row's newest event. A redemption
 * may arrive before the booking it belongs to (different topics): the figures join the two at
 * query time, so the order does not matter.
 */
@Component
class OfferEvents implements EventHandler {
    private final DatabaseClient db;

    OfferEvents(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Collection<String> topics() {
        return List.of(OfferTopics.TOPIC);
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        return switch (e.type()) {
            case OfferTopics.PROMO_REDEEMED -> {
                PromoRedeemed p = e.payloadAs(PromoRedeemed.class);
                yield redemption(e, 0, p.bookingId(), p.bookingReference(), p.offerId(), p.code(),
                        p.discountPence(), "REDEEMED");
            }
            case OfferTopics.PROMO_RELEASED -> {
                PromoReleased p = e.payloadAs(PromoReleased.class);
                yield redemption(e, 1, p.bookingId(), p.bookingReference(), p.offerId(), p.code(),
                        p.discountPence(), "RELEASED");
            }
            case OfferTopics.LAUNCHED -> {
                OfferLaunched o = e.payloadAs(OfferLaunched.class);
                yield offer(e, 0, o.offerId(), o.code(), "LIVE");
            }
            case OfferTopics.EXPIRED -> {
                OfferExpired o = e.payloadAs(OfferExpired.class);
                yield offer(e, 1, o.offerId(), o.code(), "EXPIRED");
            }
            case OfferTopics.ENDED -> {
                OfferEnded o = e.payloadAs(OfferEnded.class);
                yield offer(e, 1, o.offerId(), o.code(), "ENDED");
            }
            default -> Mono.empty();
        };
    }

    private Mono<Void> redemption(InboundEvent e, int rank, String bookingId, String reference, String offerId,
                                  String code, long discountPence, String status) {
        if (bookingId == null || offerId == null || code == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks bookingId, offerId or code", null);
        }
        var spec = db.sql("""
                        insert into redemption_fact (booking_id, booking_reference, offer_id, code, discount_pence,
                            status, last_event_time, last_event_rank)
                        values (:bookingId, :reference, :offerId, :code, :discount, :status, :time, :rank)
                        on conflict (booking_id) do update set
                            booking_reference = coalesce(excluded.booking_reference, redemption_fact.booking_reference),
                            offer_id = excluded.offer_id,
                            code = excluded.code,
                            discount_pence = excluded.discount_pence,
                            status = excluded.status,
                            last_event_time = excluded.last_event_time,
                            last_event_rank = excluded.last_event_rank
                        where (redemption_fact.last_event_time, redemption_fact.last_event_rank)
                            < (excluded.last_event_time, excluded.last_event_rank)
                        """)
                .bind("bookingId", bookingId)
                .bind("offerId", offerId)
                .bind("code", code.toUpperCase(java.util.Locale.ROOT))
                .bind("discount", discountPence)
                .bind("status", status)
                .bind("time", e.time())
                .bind("rank", (short) rank);
        spec = reference == null ? spec.bindNull("reference", String.class) : spec.bind("reference", reference);
        return spec.then();
    }

    private Mono<Void> offer(InboundEvent e, int rank, String offerId, String code, String status) {
        if (offerId == null || code == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks offerId or code", null);
        }
        return db.sql("""
                        insert into offer_fact (offer_id, code, status, last_event_time, last_event_rank)
                        values (:offerId, :code, :status, :time, :rank)
                        on conflict (offer_id) do update set
                            code = excluded.code,
                            status = excluded.status,
                            last_event_time = excluded.last_event_time,
                            last_event_rank = excluded.last_event_rank
                        where (offer_fact.last_event_time, offer_fact.last_event_rank)
                            < (excluded.last_event_time, excluded.last_event_rank)
                        """)
                .bind("offerId", offerId)
                .bind("code", code.toUpperCase(java.util.Locale.ROOT))
                .bind("status", status)
                .bind("time", e.time())
                .bind("rank", (short) rank)
                .then();
    }
}
