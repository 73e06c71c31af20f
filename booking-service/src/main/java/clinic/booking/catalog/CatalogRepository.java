package clinic.booking.catalog;

import clinic.kit.web.ClinicException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of the catalogue tables. */
@Repository
public class CatalogRepository {
    private static final String THERAPIST_SELECT = """
            select t.id, t.name,
                   coalesce((select array_agg(tl.location_id order by tl.location_id)
                             from therapist_location tl where tl.therapist_id = t.id), '{}') as location_ids,
                   coalesce((select array_agg(tt.treatment_id order by tt.treatment_id)
                             from therapist_treatment tt where tt.therapist_id = t.id), '{}') as treatment_ids
            from therapist t
            """;

    private final DatabaseClient db;

    public CatalogRepository(DatabaseClient db) {
        this.db = db;
    }

    public Flux<Location> locations() {
        return db.sql("select id, name, time_zone, address from location order by name")
                .map(r -> new Location(r.get("id", String.class), r.get("name", String.class),
                        r.get("time_zone", String.class), r.get("address", String.class)))
                .all();
    }

    public Mono<Location> location(String id) {
        return db.sql("select id, name, time_zone, address from location where id = :id")
                .bind("id", id)
                .map(r -> new Location(r.get("id", String.class), r.get("name", String.class),
                        r.get("time_zone", String.class), r.get("address", String.class)))
                .one();
    }

    public Flux<Treatment> treatments() {
        return db.sql("select * from treatment order by sort_order, id").map(CatalogRepository::toTreatment).all();
    }

    private static Treatment toTreatment(io.r2dbc.spi.Readable r) {
        return new Treatment(r.get("id", String.class), r.get("name", String.class), r.get("category", String.class),
                r.get("duration_minutes", Integer.class), r.get("price_pence", Long.class),
                r.get("currency", String.class));
    }

    /** All therapists, or those working at {@code locationId} when it is given. */
    public Flux<Therapist> therapists(String locationId) {
        if (locationId == null) {
            return db.sql(THERAPIST_SELECT + " order by t.id").map(CatalogRepository::toTherapist).all();
        }
        return db.sql(THERAPIST_SELECT + """
                         where exists (select 1 from therapist_location tl
                                       where tl.therapist_id = t.id and tl.location_id = :location)
                         order by t.id
                        """)
                .bind("location", locationId)
                .map(CatalogRepository::toTherapist).all();
    }

    private static Therapist toTherapist(io.r2dbc.spi.Readable r) {
        return new Therapist(r.get("id", String.class), r.get("name", String.class),
                Arrays.asList(r.get("location_ids", String[].class)),
                Arrays.asList(r.get("treatment_ids", String[].class)));
    }

    /**
     * What one availability question or booking needs from the catalogue, in one round trip: the
     * location and treatment (null when unknown), the therapists who give that treatment there
     * (id → name, in id order) and whether {@code therapistId} (may be null) names any therapist.
     * One statement instead of four keeps a public read to two database round trips in all.
     */
    public Mono<Selection> selection(String locationId, String treatmentId, String therapistId) {
        return db.sql("""
                        select l.id as l_id, l.name as l_name, l.time_zone, l.address,
                               t.id as t_id, t.name as t_name, t.category, t.duration_minutes, t.price_pence, t.currency,
                               coalesce((select array_agg(th.id order by th.id) from therapist th
                                         join therapist_location tl on tl.therapist_id = th.id and tl.location_id = l.id
                                         join therapist_treatment tt on tt.therapist_id = th.id and tt.treatment_id = t.id),
                                        '{}') as offering_ids,
                               coalesce((select array_agg(th.name order by th.id) from therapist th
                                         join therapist_location tl on tl.therapist_id = th.id and tl.location_id = l.id
                                         join therapist_treatment tt on tt.therapist_id = th.id and tt.treatment_id = t.id),
                                        '{}') as offering_names,
                               exists (select 1 from therapist where id = :therapist) as therapist_known
                        from (select 1) as one
                        left join location l on l.id = :location
                        left join treatment t on t.id = :treatment""")
                .bind("location", locationId).bind("treatment", treatmentId)
                .bind("therapist", therapistId == null ? "" : therapistId)
                .map(r -> {
                    Location location = r.get("l_id", String.class) == null ? null
                            : new Location(r.get("l_id", String.class), r.get("l_name", String.class),
                                    r.get("time_zone", String.class), r.get("address", String.class));
                    Treatment treatment = r.get("t_id", String.class) == null ? null
                            : new Treatment(r.get("t_id", String.class), r.get("t_name", String.class),
                                    r.get("category", String.class), r.get("duration_minutes", Integer.class),
                                    r.get("price_pence", Long.class), r.get("currency", String.class));
                    String[] ids = r.get("offering_ids", String[].class);
                    String[] names = r.get("offering_names", String[].class);
                    Map<String, String> offering = new LinkedHashMap<>();
                    for (int i = 0; i < ids.length; i++) offering.put(ids[i], names[i]);
                    return new Selection(location, treatment, offering,
                            Boolean.TRUE.equals(r.get("therapist_known", Boolean.class)));
                })
                .one();
    }

    /**
     * {@link #selection}, with an unknown location or treatment a validation failure naming its
     * parameter (the availability question and a booking answer them alike).
     */
    public Mono<Selection> knownSelection(String locationId, String treatmentId, String therapistId) {
        return selection(locationId, treatmentId, therapistId).handle((sel, sink) -> {
            if (sel.location() == null) sink.error(ClinicException.invalid("locationId", "unknown location"));
            else if (sel.treatment() == null) sink.error(ClinicException.invalid("treatmentId", "unknown treatment"));
            else sink.next(sel);
        });
    }

    /** See {@link #selection}; {@code offering} maps therapist id → name in id order. */
    public record Selection(Location location, Treatment treatment, Map<String, String> offering,
                            boolean therapistKnown) {
        public List<String> offeringIds() {
            return List.copyOf(offering.keySet());
        }
    }
}
