package clinic.offer.offers;

import clinic.offer.Db;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * SQL of offers. Status changes are conditional statements that return the rows they changed,
 * so whichever instance or thread makes a transition is the only one that sees it.
 */
@Repository
public class OfferRepository {
    private final DatabaseClient db;

    OfferRepository(DatabaseClient db) {
        this.db = db;
    }

    /** An offer with what became of its reservations. */
    public record Counted(Offer offer, long redeemed, long reserved) {}

    Mono<Void> insert(Offer o) {
        var spec = db.sql("""
                insert into offer (id, code, title, description, percent_off, amount_off_pence, treatment_category,
                                   treatment_ids, location_ids, starts_at, ends_at, max_redemptions,
                                   max_redemptions_per_customer, minimum_price_pence, announce, status, created_at,
                                   created_by, launched_at)
                values (:id, :code, :title, :description, :percentOff, :amountOffPence, :treatmentCategory,
                        :treatmentIds, :locationIds, :startsAt, :endsAt, :maxRedemptions,
                        :perCustomer, :minimumPrice, :announce, :status, :createdAt, :createdBy, :launchedAt)
                """)
                .bind("id", o.id())
                .bind("code", o.code())
                .bind("title", o.title())
                .bind("treatmentIds", o.treatmentIds().toArray(String[]::new))
                .bind("locationIds", o.locationIds().toArray(String[]::new))
                .bind("startsAt", o.startsAt())
                .bind("endsAt", o.endsAt())
                .bind("perCustomer", o.maxRedemptionsPerCustomer())
                .bind("announce", o.announce())
                .bind("status", o.status().name())
                .bind("createdAt", o.createdAt());
        spec = Db.bind(spec, "description", o.description(), String.class);
        spec = Db.bind(spec, "percentOff", o.percentOff(), Integer.class);
        spec = Db.bind(spec, "amountOffPence", o.amountOffPence(), Long.class);
        spec = Db.bind(spec, "treatmentCategory", o.treatmentCategory(), String.class);
        spec = Db.bind(spec, "maxRedemptions", o.maxRedemptions(), Integer.class);
        spec = Db.bind(spec, "minimumPrice", o.minimumPricePence(), Long.class);
        spec = Db.bind(spec, "createdBy", o.createdBy(), String.class);
        spec = Db.bind(spec, "launchedAt", o.status() == OfferStatus.LIVE ? o.createdAt() : null, Instant.class);
        return spec.then();
    }

    public Mono<Offer> findById(UUID id) {
        return db.sql("select * from offer where id = :id").bind("id", id).map(OfferRepository::offer).one();
    }

    /** Every offer that has carried this (upper-case) code, whatever its status. */
    public Flux<Offer> findByCode(String code) {
        return db.sql("select * from offer where code = :code").bind("code", code).map(OfferRepository::offer).all();
    }

    public Mono<Boolean> existsWithCodeStartingAt(String code, Instant startsAt) {
        return db.sql("select exists (select 1 from offer where code = :code and starts_at = :startsAt) as found")
                .bind("code", code).bind("startsAt", startsAt)
                .map(row -> Boolean.TRUE.equals(row.get("found", Boolean.class))).one();
    }

    /** Offers a customer can still use: scheduled or live, window not over. */
    Flux<Offer> findOpen(Instant now) {
        return db.sql("""
                select * from offer where status in ('SCHEDULED', 'LIVE') and ends_at > :now
                order by starts_at, code
                """).bind("now", now).map(OfferRepository::offer).all();
    }

    Flux<Counted> findAllCounted() {
        return counted(null);
    }

    Mono<Counted> findCounted(UUID id) {
        return counted(id).next();
    }

    private Flux<Counted> counted(UUID onlyId) {
        var spec = db.sql("""
                select o.*, coalesce(r.redeemed, 0) as redeemed, coalesce(r.reserved, 0) as reserved
                from offer o
                left join (select offer_id,
                                  count(*) filter (where status = 'REDEEMED') as redeemed,
                                  count(*) filter (where status = 'RESERVED') as reserved
                           from reservation group by offer_id) r on r.offer_id = o.id
                where :id::uuid is null or o.id = :id
                order by o.starts_at desc, o.code
                """);
        return Db.bind(spec, "id", onlyId, UUID.class)
                .map(row -> new Counted(offer(row), row.get("redeemed", Long.class), row.get("reserved", Long.class)))
                .all();
    }

    /** SCHEDULED offers whose window has begun (and not yet ended) become LIVE. */
    Flux<Offer> launchDue(Instant now) {
        return db.sql("""
                update offer set status = 'LIVE', launched_at = :now
                where status = 'SCHEDULED' and starts_at <= :now and ends_at > :now
                returning *
                """).bind("now", now).map(OfferRepository::offer).all();
    }

    /** Offers whose window has closed become EXPIRED (straight from SCHEDULED if the moment was missed). */
    Flux<Offer> expireDue(Instant now) {
        return db.sql("""
                update offer set status = 'EXPIRED', expired_at = :now
                where status in ('SCHEDULED', 'LIVE') and ends_at <= :now
                returning *
                """).bind("now", now).map(OfferRepository::offer).all();
    }

    /**
     * Replaces what marketing chose for a scheduled offer, only while it is still scheduled and
     * ahead (the lifecycle may launch it at the same moment: then nothing is updated). Status,
     * counts and creation are kept.
     */
    Mono<Offer> updateScheduled(Offer o, Instant now) {
        var spec = db.sql("""
                update offer set code = :code, title = :title, description = :description, percent_off = :percentOff,
                    amount_off_pence = :amountOffPence, treatment_category = :treatmentCategory,
                    treatment_ids = :treatmentIds, location_ids = :locationIds, starts_at = :startsAt, ends_at = :endsAt,
                    max_redemptions = :maxRedemptions, max_redemptions_per_customer = :perCustomer,
                    minimum_price_pence = :minimumPrice, announce = :announce
                where id = :id and status = 'SCHEDULED' and starts_at > :now
                returning *
                """)
                .bind("id", o.id())
                .bind("now", now)
                .bind("code", o.code())
                .bind("title", o.title())
                .bind("treatmentIds", o.treatmentIds().toArray(String[]::new))
                .bind("locationIds", o.locationIds().toArray(String[]::new))
                .bind("startsAt", o.startsAt())
                .bind("endsAt", o.endsAt())
                .bind("perCustomer", o.maxRedemptionsPerCustomer())
                .bind("announce", o.announce());
        spec = Db.bind(spec, "description", o.description(), String.class);
        spec = Db.bind(spec, "percentOff", o.percentOff(), Integer.class);
        spec = Db.bind(spec, "amountOffPence", o.amountOffPence(), Long.class);
        spec = Db.bind(spec, "treatmentCategory", o.treatmentCategory(), String.class);
        spec = Db.bind(spec, "maxRedemptions", o.maxRedemptions(), Integer.class);
        spec = Db.bind(spec, "minimumPrice", o.minimumPricePence(), Long.class);
        return spec.map(OfferRepository::offer).one();
    }

    Mono<Offer> end(UUID id, String by, Instant now) {
        return db.sql("""
                update offer set status = 'ENDED', ended_at = :now, ended_by = :by
                where id = :id and status in ('SCHEDULED', 'LIVE')
                returning *
                """).bind("id", id).bind("by", by).bind("now", now).map(OfferRepository::offer).one();
    }

    static Offer offer(Readable row) {
        return new Offer(
                row.get("id", UUID.class),
                row.get("code", String.class),
                row.get("title", String.class),
                row.get("description", String.class),
                row.get("percent_off", Integer.class),
                row.get("amount_off_pence", Long.class),
                row.get("treatment_category", String.class),
                list(row.get("treatment_ids", String[].class)),
                list(row.get("location_ids", String[].class)),
                row.get("starts_at", Instant.class),
                row.get("ends_at", Instant.class),
                row.get("max_redemptions", Integer.class),
                row.get("max_redemptions_per_customer", Integer.class),
                row.get("minimum_price_pence", Long.class),
                Boolean.TRUE.equals(row.get("announce", Boolean.class)),
                OfferStatus.valueOf(row.get("status", String.class)),
                row.get("taken", Integer.class),
                row.get("created_at", Instant.class),
                row.get("created_by", String.class),
                row.get("ended_at", Instant.class),
                row.get("ended_by", String.class));
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
