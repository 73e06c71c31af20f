package clinic.booking.catalog;

import clinic.booking.config.BookingSettings;
import clinic.kit.web.ClinicException;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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
    private static final String LOCATION_SELECT = """
            select l.*,
                   coalesce((select array_agg(h.day_of_week || ' ' || h.start_time || ' ' || h.end_time
                                              order by h.day_of_week, h.start_time)
                             from location_opening_hours h where h.location_id = l.id), '{}') as opening
            from location l
            """;

    /**
     * Where a therapist works: the locations of their pattern version in force today and of the
     * versions to come ({@code :today} is the clinic's local date).
     */
    static final String THERAPIST_LOCATIONS = """
            coalesce((select array_agg(distinct pe.location_id order by pe.location_id)
                      from pattern_version pv join pattern_entry pe on pe.version_id = pv.id
                      where pv.therapist_id = t.id
                        and pv.effective_from >= coalesce((select max(v2.effective_from) from pattern_version v2
                                                           where v2.therapist_id = t.id and v2.effective_from <= :today),
                                                          date '-infinity')), '{}')""";

    private static final String THERAPIST_SELECT = """
            select t.id, t.name, t.bio, t.active,
                   %s as location_ids,
                   coalesce((select array_agg(tt.treatment_id order by tt.treatment_id)
                             from therapist_treatment tt where tt.therapist_id = t.id), '{}') as treatment_ids
            from therapist t
            """.formatted(THERAPIST_LOCATIONS);

    private final DatabaseClient db;
    private final BookingSettings settings;
    private final Clock clock;

    public CatalogRepository(DatabaseClient db, BookingSettings settings, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(settings.zone()));
    }

    /** Every location (admin) or the active ones (public), by name. */
    public Flux<LocationDetails> locations(boolean activeOnly) {
        return db.sql(LOCATION_SELECT + (activeOnly ? " where l.active" : "") + " order by l.name, l.id")
                .map(CatalogRepository::toLocationDetails).all();
    }

    public Mono<LocationDetails> locationDetails(String id) {
        return db.sql(LOCATION_SELECT + " where l.id = :id").bind("id", id)
                .map(CatalogRepository::toLocationDetails).one();
    }

    /** Any location, active or not (staff lists still show an inactive location's bookings). */
    public Mono<Location> location(String id) {
        return db.sql("select id, name, time_zone, address from location where id = :id")
                .bind("id", id)
                .map(r -> new Location(r.get("id", String.class), r.get("name", String.class),
                        r.get("time_zone", String.class), r.get("address", String.class)))
                .one();
    }

    private static LocationDetails toLocationDetails(Readable r) {
        Map<DayOfWeek, List<Hours>> opening = new EnumMap<>(DayOfWeek.class);
        for (String h : r.get("opening", String[].class)) {
            String[] p = h.split(" ");
            opening.computeIfAbsent(DayOfWeek.of(Integer.parseInt(p[0])), d -> new ArrayList<>())
                    .add(new Hours(LocalTime.parse(p[1]), LocalTime.parse(p[2])));
        }
        return new LocationDetails(r.get("id", String.class), r.get("name", String.class),
                r.get("time_zone", String.class), r.get("address", String.class),
                new PostalAddress(r.get("line1", String.class), r.get("line2", String.class),
                        r.get("town", String.class), r.get("postcode", String.class)),
                r.get("phone", String.class), r.get("email", String.class), opening,
                Boolean.TRUE.equals(r.get("active", Boolean.class)));
    }

    public Flux<Treatment> treatments(boolean activeOnly) {
        return db.sql("select * from treatment" + (activeOnly ? " where active" : "") + " order by sort_order, id")
                .map(CatalogRepository::toTreatment).all();
    }

    public Mono<Treatment> treatment(String id) {
        return db.sql("select * from treatment where id = :id").bind("id", id).map(CatalogRepository::toTreatment).one();
    }

    private static Treatment toTreatment(Readable r) {
        return new Treatment(r.get("id", String.class), r.get("name", String.class), r.get("category", String.class),
                r.get("duration_minutes", Integer.class), r.get("price_pence", Long.class),
                r.get("currency", String.class), r.get("description", String.class),
                Boolean.TRUE.equals(r.get("active", Boolean.class)));
    }

    /** Therapists (all, or the active ones), or those working at {@code locationId} when it is given. */
    public Flux<Therapist> therapists(String locationId, boolean activeOnly) {
        String where = activeOnly ? " where t.active" : " where true";
        if (locationId == null) {
            return db.sql(THERAPIST_SELECT + where + " order by t.id").bind("today", today())
                    .map(CatalogRepository::toTherapist).all();
        }
        return db.sql("select * from (" + THERAPIST_SELECT + where + ") t where :location = any(t.location_ids) order by t.id")
                .bind("today", today()).bind("location", locationId)
                .map(CatalogRepository::toTherapist).all();
    }

    public Mono<Therapist> therapist(String id) {
        return db.sql(THERAPIST_SELECT + " where t.id = :id").bind("today", today()).bind("id", id)
                .map(CatalogRepository::toTherapist).one();
    }

    private static Therapist toTherapist(Readable r) {
        return new Therapist(r.get("id", String.class), r.get("name", String.class), r.get("bio", String.class),
                Arrays.asList(r.get("location_ids", String[].class)),
                Arrays.asList(r.get("treatment_ids", String[].class)),
                Boolean.TRUE.equals(r.get("active", Boolean.class)));
    }

    /** Closures in force between two local dates, inclusive. */
    public Flux<Closure> closures(LocalDate from, LocalDate to) {
        return db.sql("""
                        select id, closure_date, location_id, reason from closure
                        where removed_at is null and closure_date between :from and :to
                        order by closure_date, location_id nulls first, id""")
                .bind("from", from).bind("to", to)
                .map(r -> new Closure(r.get("id", String.class), r.get("closure_date", LocalDate.class),
                        r.get("location_id", String.class), r.get("reason", String.class)))
                .all();
    }

    /**
     * What one availability question or booking needs from the catalogue, in one round trip: the
     * active location and treatment (null when unknown or inactive), the active therapists who give
     * that treatment and whose current or coming pattern has them work there (id → name, in id
     * order), and whether {@code therapistId} (may be null) names an active therapist. One statement
     * instead of four keeps a public read to two database round trips in all.
     */
    public Mono<Selection> selection(String locationId, String treatmentId, String therapistId) {
        return db.sql("""
                        with offering as (
                            select t.id, t.name from therapist t
                            join therapist_treatment tt on tt.therapist_id = t.id and tt.treatment_id = :treatment
                            where t.active and :location = any(%s))
                        select l.id as l_id, l.name as l_name, l.time_zone, l.address,
                               tr.id as t_id, tr.name as t_name, tr.category, tr.duration_minutes, tr.price_pence,
                               tr.currency, tr.description,
                               coalesce((select array_agg(o.id order by o.id) from offering o), '{}') as offering_ids,
                               coalesce((select array_agg(o.name order by o.id) from offering o), '{}') as offering_names,
                               exists (select 1 from therapist where id = :therapist and active) as therapist_known,
                               (select version from catalogue_version) as catalogue_version
                        from (select 1) as one
                        left join location l on l.id = :location and l.active
                        left join treatment tr on tr.id = :treatment and tr.active""".formatted(THERAPIST_LOCATIONS))
                .bind("location", locationId).bind("treatment", treatmentId)
                .bind("therapist", therapistId == null ? "" : therapistId)
                .bind("today", today())
                .map(r -> {
                    Location location = r.get("l_id", String.class) == null ? null
                            : new Location(r.get("l_id", String.class), r.get("l_name", String.class),
                                    r.get("time_zone", String.class), r.get("address", String.class));
                    Treatment treatment = r.get("t_id", String.class) == null ? null
                            : new Treatment(r.get("t_id", String.class), r.get("t_name", String.class),
                                    r.get("category", String.class), r.get("duration_minutes", Integer.class),
                                    r.get("price_pence", Long.class), r.get("currency", String.class),
                                    r.get("description", String.class), true);
                    String[] ids = r.get("offering_ids", String[].class);
                    String[] names = r.get("offering_names", String[].class);
                    Map<String, String> offering = new LinkedHashMap<>();
                    for (int i = 0; i < ids.length; i++) offering.put(ids[i], names[i]);
                    return new Selection(location, treatment, offering,
                            Boolean.TRUE.equals(r.get("therapist_known", Boolean.class)),
                            r.get("catalogue_version", Long.class));
                })
                .one();
    }

    /**
     * {@link #selection}, with an unknown (or inactive) location or treatment a validation failure
     * naming its parameter (the availability question and a booking answer them alike).
     */
    public Mono<Selection> knownSelection(String locationId, String treatmentId, String therapistId) {
        return selection(locationId, treatmentId, therapistId).handle((sel, sink) -> {
            if (sel.location() == null) sink.error(ClinicException.invalid("locationId", "unknown location"));
            else if (sel.treatment() == null) sink.error(ClinicException.invalid("treatmentId", "unknown treatment"));
            else sink.next(sel);
        });
    }

    /**
     * See {@link #selection}; {@code offering} maps therapist id → name in id order;
     * {@code catalogueVersion} is the catalogue's version in the same snapshot (V21 migration).
     */
    public record Selection(Location location, Treatment treatment, Map<String, String> offering,
                            boolean therapistKnown, long catalogueVersion) {
        public List<String> offeringIds() {
            return List.copyOf(offering.keySet());
        }
    }
}
