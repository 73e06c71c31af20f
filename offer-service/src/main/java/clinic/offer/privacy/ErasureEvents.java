package clinic.offer.privacy;

import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import clinic.kit.privacy.ErasurePart;
import clinic.kit.privacy.ErasureSubjects;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Erasure on request, offer-service's part (docs/privacy.md), once per event through the kit's inbox,
 * in one transaction: the address comes from booking-service (never from the topic), and in the
 * promo-code ledger ({@code offer_customer}, {@code reservation}) it is replaced by a random marker,
 * one per offer, the same in both tables. So every count stays (an offer's redemptions, a customer row's
 * places, a later release still finds its row) but nothing leads back to the person.
 *
 * <p>Why the per-customer limit no longer recognises them: a marker that a later booking with the same
 * address would match (a hash, even a keyed one) is a pseudonym of that address, still personal data,
 * and whoever holds the key can confirm a guessed address against it, which is what an erasure must
 * end. The limit is a commercial rule; the erasure outranks it. Other services' completions are
 * declined unread.
 */
@Component
class ErasureEvents extends ErasurePart {
    static final String SERVICE = "offer-service";

    private final DatabaseClient db;

    ErasureEvents(ErasureSubjects subjects, DatabaseClient db, Outbox outbox, AuditLog audit) {
        super(SERVICE, subjects, outbox, audit);
        this.db = db;
    }

    /** @return how many reservations lost the address ({@code reservations}) */
    @Override
    protected Mono<Map<String, Long>> erase(String email) {
        // The ledger stores addresses lower-cased and trimmed (ReservationRepository).
        String address = email.trim().toLowerCase(java.util.Locale.ROOT);
        return db.sql("""
                        with markers as (
                            select offer_id, customer_email as address, 'erased:' || gen_random_uuid() as marker
                            from offer_customer where customer_email = :email),
                        customers as (
                            update offer_customer c set customer_email = m.marker from markers m
                            where c.offer_id = m.offer_id and c.customer_email = m.address
                            returning c.offer_id)
                        update reservation r set customer_email = m.marker from markers m
                        where r.offer_id = m.offer_id and r.customer_email = m.address""")
                .bind("email", address)
                .fetch().rowsUpdated()
                // A reservation whose offer has no ledger row of the address (none is expected): a marker of its own.
                .flatMap(n -> db.sql("""
                                update reservation set customer_email = 'erased:' || gen_random_uuid()
                                where lower(customer_email) = :email""")
                        .bind("email", address)
                        .fetch().rowsUpdated().map(m -> Map.of("reservations", n + m)));
    }
}
