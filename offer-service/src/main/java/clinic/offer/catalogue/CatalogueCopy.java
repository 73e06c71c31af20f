package clinic.offer.catalogue;

import clinic.contracts.catalogue.LocationChanged;
import clinic.contracts.catalogue.TreatmentChanged;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The treatments and locations offer-service knows, each the latest state booking-service
 * published. Rows are never deleted: booking-service deactivates rather than removes, and an offer
 * or a reservation may still name an id that is no longer offered.
 */
@Repository
public class CatalogueCopy {
    private final DatabaseClient db;

    CatalogueCopy(DatabaseClient db) {
        this.db = db;
    }

    /** The treatment, or empty when no event has told this service about it (yet). */
    public Mono<Treatment> treatment(String id) {
        return db.sql("select id, name, category, price_pence, active from catalogue_treatment where id = :id")
                .bind("id", id)
                .map(row -> new Treatment(row.get("id", String.class), row.get("name", String.class),
                        row.get("category", String.class), row.get("price_pence", Long.class),
                        Boolean.TRUE.equals(row.get("active", Boolean.class))))
                .one();
    }

    /** Which of these ids (and whether this category) the copy knows, active or not. */
    public record Known(Set<String> treatmentIds, Set<String> locationIds, boolean category) {}

    /** One round trip for every id of an offer; a null category is simply not known. */
    public Mono<Known> known(Collection<String> treatmentIds, Collection<String> locationIds, String category) {
        var spec = db.sql("""
                select 'treatment' as kind, id from catalogue_treatment where id = any(:treatmentIds)
                union all
                select 'location', id from catalogue_location where id = any(:locationIds)
                union all
                (select 'category', category from catalogue_treatment where category = :category limit 1)
                """)
                .bind("treatmentIds", treatmentIds.toArray(String[]::new))
                .bind("locationIds", locationIds.toArray(String[]::new));
        spec = category == null ? spec.bindNull("category", String.class) : spec.bind("category", category);
        return spec.map(row -> new String[] {row.get("kind", String.class), row.get("id", String.class)}).all()
                .collectList()
                .map(rows -> {
                    Set<String> treatments = new HashSet<>();
                    Set<String> locations = new HashSet<>();
                    boolean categoryKnown = false;
                    for (String[] r : rows) {
                        switch (r[0]) {
                            case "treatment" -> treatments.add(r[1]);
                            case "location" -> locations.add(r[1]);
                            default -> categoryKnown = true;
                        }
                    }
                    return new Known(treatments, locations, categoryKnown);
                });
    }

    /**
     * Keeps the treatment's state unless the copy already holds a newer one (events of one id
     * arrive in order, but a replay or a producer's retry may bring an old state back). True when
     * the row was written.
     */
    public Mono<Boolean> upsert(TreatmentChanged t) {
        return db.sql("""
                        insert into catalogue_treatment (id, name, category, price_pence, active, changed_at)
                        values (:id, :name, :category, :price, :active, :changedAt)
                        on conflict (id) do update set name = excluded.name, category = excluded.category,
                            price_pence = excluded.price_pence, active = excluded.active,
                            changed_at = excluded.changed_at
                        where catalogue_treatment.changed_at <= excluded.changed_at
                        """)
                .bind("id", t.id()).bind("name", t.name()).bind("category", t.category())
                .bind("price", t.pricePence()).bind("active", t.active()).bind("changedAt", t.changedAt())
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** As {@link #upsert(TreatmentChanged)}, for a location. */
    public Mono<Boolean> upsert(LocationChanged l) {
        return db.sql("""
                        insert into catalogue_location (id, name, active, changed_at)
                        values (:id, :name, :active, :changedAt)
                        on conflict (id) do update set name = excluded.name, active = excluded.active,
                            changed_at = excluded.changed_at
                        where catalogue_location.changed_at <= excluded.changed_at
                        """)
                .bind("id", l.id()).bind("name", l.name()).bind("active", l.active()).bind("changedAt", l.changedAt())
                .fetch().rowsUpdated().map(n -> n > 0);
    }
}
