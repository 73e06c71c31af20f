package clinic.booking.admin;

import clinic.booking.admin.AdminRequests.Day;
import clinic.booking.admin.AdminRequests.PatternVersion;
import clinic.booking.admin.AdminRequests.TimeOff;
import clinic.booking.admin.AdminRequests.TreatmentBody;
import clinic.booking.catalog.Hours;
import clinic.booking.catalog.PostalAddress;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Writes of the catalogue tables, and the reads only administration needs. */
@Repository
class AdminRepository {
    private final DatabaseClient db;

    AdminRepository(DatabaseClient db) {
        this.db = db;
    }

    // ---- locations ----

    /** Inserts or updates; {@code insert} decides which (an insert of an existing id fails: 23505). */
    Mono<Long> saveLocation(boolean insert, String id, String name, String timeZone, PostalAddress a, String phone,
                            String email, boolean active, Instant at) {
        String sql = insert ? """
                insert into location (id, name, time_zone, address, line1, line2, town, postcode, phone, email,
                  active, updated_at)
                values (:id, :name, :zone, :address, :line1, :line2, :town, :postcode, :phone, :email, :active, :at)"""
                : """
                update location set name = :name, address = :address, line1 = :line1, line2 = :line2, town = :town,
                  postcode = :postcode, phone = :phone, email = :email, active = :active, updated_at = :at
                where id = :id""";
        var spec = db.sql(sql).bind("id", id).bind("name", name).bind("address", a.oneLine())
                .bind("line1", a.line1().trim()).bind("town", a.town().trim()).bind("postcode", a.postcode().trim())
                .bind("phone", phone).bind("active", active).bind("at", utc(at));
        if (insert) spec = spec.bind("zone", timeZone);
        spec = nullable(spec, "line2", blankToNull(a.line2()));
        spec = nullable(spec, "email", blankToNull(email));
        return spec.fetch().rowsUpdated();
    }

    Mono<Void> replaceOpeningHours(String locationId, Map<DayOfWeek, List<Hours>> hours) {
        Mono<Void> delete = db.sql("delete from location_opening_hours where location_id = :id")
                .bind("id", locationId).then();
        List<Mono<Void>> inserts = new ArrayList<>();
        hours.forEach((day, ranges) -> ranges.forEach(h -> inserts.add(db.sql("""
                        insert into location_opening_hours (location_id, day_of_week, start_time, end_time)
                        values (:id, :day, :from, :to)""")
                .bind("id", locationId).bind("day", (short) day.getValue()).bind("from", h.from()).bind("to", h.to())
                .then())));
        return delete.then(Flux.concat(inserts).then());
    }

    // ---- treatments ----

    Mono<Long> saveTreatment(boolean insert, TreatmentBody t, String id, boolean active, Instant at) {
        String sql = insert ? """
                insert into treatment (id, name, category, duration_minutes, price_pence, currency, sort_order,
                  description, active, updated_at)
                values (:id, :name, :category, :duration, :price, 'GBP',
                  (select coalesce(max(sort_order), 0) + 1 from treatment), :description, :active, :at)"""
                : """
                update treatment set name = :name, category = :category, duration_minutes = :duration,
                  price_pence = :price, description = :description, active = :active, updated_at = :at
                where id = :id""";
        var spec = db.sql(sql).bind("id", id).bind("name", t.name().trim()).bind("category", t.category().trim())
                .bind("duration", t.durationMinutes()).bind("price", t.pricePence()).bind("active", active)
                .bind("at", utc(at));
        return nullable(spec, "description", blankToNull(t.description())).fetch().rowsUpdated();
    }

    // ---- therapists ----

    Mono<Long> saveTherapist(boolean insert, String id, String name, String bio, boolean active, Instant at) {
        String sql = insert ? """
                insert into therapist (id, name, bio, active, updated_at) values (:id, :name, :bio, :active, :at)"""
                : "update therapist set name = :name, bio = :bio, active = :active, updated_at = :at where id = :id";
        var spec = db.sql(sql).bind("id", id).bind("name", name).bind("active", active).bind("at", utc(at));
        return nullable(spec, "bio", blankToNull(bio)).fetch().rowsUpdated();
    }

    Mono<Void> replaceTreatments(String therapistId, List<String> treatmentIds) {
        return db.sql("delete from therapist_treatment where therapist_id = :id").bind("id", therapistId).then()
                .then(Flux.fromIterable(treatmentIds.stream().distinct().toList()).concatMap(t -> db.sql("""
                                insert into therapist_treatment (therapist_id, treatment_id) values (:id, :t)""")
                        .bind("id", therapistId).bind("t", t).then()).then());
    }

    Mono<Boolean> hasPattern(String therapistId) {
        return db.sql("select exists (select 1 from pattern_version where therapist_id = :id) as e")
                .bind("id", therapistId).map(r -> Boolean.TRUE.equals(r.get("e", Boolean.class))).one();
    }

    /** The new version replaces every version from its date on (a later one would otherwise override it). */
    Mono<Void> replacePattern(String therapistId, LocalDate effectiveFrom, List<Day> days, Instant at) {
        return db.sql("delete from pattern_version where therapist_id = :id and effective_from >= :from")
                .bind("id", therapistId).bind("from", effectiveFrom).then()
                .then(db.sql("""
                                insert into pattern_version (therapist_id, effective_from, created_at)
                                values (:id, :from, :at) returning id""")
                        .bind("id", therapistId).bind("from", effectiveFrom).bind("at", utc(at))
                        .map(r -> r.get("id", Long.class)).one())
                .flatMap(version -> Flux.fromIterable(days).concatMap(d -> db.sql("""
                                        insert into pattern_entry (version_id, location_id, day_of_week, start_time, end_time)
                                        values (:v, :loc, :day, :from, :to) returning id""")
                                .bind("v", version).bind("loc", d.locationId()).bind("day", (short) d.dayOfWeek().getValue())
                                .bind("from", d.from()).bind("to", d.to())
                                .map(r -> r.get("id", Long.class)).one()
                                .flatMap(entry -> Flux.fromIterable(d.breaks() == null ? List.<Hours>of() : d.breaks())
                                        .concatMap(b -> db.sql("""
                                                        insert into pattern_break (entry_id, start_time, end_time)
                                                        values (:e, :from, :to)""")
                                                .bind("e", entry).bind("from", b.from()).bind("to", b.to()).then())
                                        .then()))
                        .then());
    }

    /** The version in force on {@code today} and those to come, oldest first, in the PUT body's shape. */
    Mono<List<PatternVersion>> currentAndComingPatterns(String therapistId, LocalDate today) {
        return db.sql("""
                        select v.effective_from, e.id as entry_id, e.day_of_week, e.location_id,
                               e.start_time, e.end_time, b.start_time as b_from, b.end_time as b_to
                        from pattern_version v
                        left join pattern_entry e on e.version_id = v.id
                        left join pattern_break b on b.entry_id = e.id
                        where v.therapist_id = :id
                          and v.effective_from >= coalesce((select max(effective_from) from pattern_version
                                                            where therapist_id = :id and effective_from <= :today),
                                                           date '-infinity')
                        order by v.effective_from, e.day_of_week, e.start_time, e.id, b.start_time""")
                .bind("id", therapistId).bind("today", today)
                .map(r -> new PatternRow(r.get("effective_from", LocalDate.class), r.get("entry_id", Long.class),
                        r.get("day_of_week", Short.class), r.get("location_id", String.class),
                        r.get("start_time", LocalTime.class), r.get("end_time", LocalTime.class),
                        r.get("b_from", LocalTime.class), r.get("b_to", LocalTime.class)))
                .all().collectList()
                .map(rows -> {
                    Map<LocalDate, Map<Long, PatternRow>> entries = new LinkedHashMap<>();
                    Map<Long, List<Hours>> breaks = new LinkedHashMap<>();
                    for (PatternRow r : rows) {
                        var version = entries.computeIfAbsent(r.effectiveFrom(), k -> new LinkedHashMap<>());
                        if (r.entryId() == null) continue;
                        version.putIfAbsent(r.entryId(), r);
                        var entryBreaks = breaks.computeIfAbsent(r.entryId(), k -> new ArrayList<>());
                        if (r.breakFrom() != null) entryBreaks.add(new Hours(r.breakFrom(), r.breakTo()));
                    }
                    List<PatternVersion> out = new ArrayList<>();
                    entries.forEach((from, es) -> out.add(new PatternVersion(from, es.values().stream()
                            .map(e -> new Day(DayOfWeek.of(e.dayOfWeek()), e.locationId(), e.from(), e.to(),
                                    breaks.get(e.entryId())))
                            .toList())));
                    return out;
                });
    }

    private record PatternRow(LocalDate effectiveFrom, Long entryId, Short dayOfWeek, String locationId,
                              LocalTime from, LocalTime to, LocalTime breakFrom, LocalTime breakTo) {}

    // ---- time off ----

    Mono<Long> insertTimeOff(String therapistId, Instant from, Instant to, String reason) {
        return db.sql("""
                        insert into time_off (therapist_id, starts_at, ends_at, reason)
                        values (:id, :from, :to, :reason) returning id""")
                .bind("id", therapistId).bind("from", utc(from)).bind("to", utc(to)).bind("reason", reason)
                .map(r -> r.get("id", Long.class)).one();
    }

    Mono<TimeOff> deleteTimeOff(long id) {
        return db.sql("delete from time_off where id = :id returning *").bind("id", id).map(AdminRepository::timeOff)
                .one();
    }

    Flux<TimeOff> timeOffEndingAfter(String therapistId, Instant after) {
        return db.sql("select * from time_off where therapist_id = :id and ends_at > :after order by starts_at, id")
                .bind("id", therapistId).bind("after", utc(after)).map(AdminRepository::timeOff).all();
    }

    Mono<Boolean> hasTimeOff(String therapistId) {
        return db.sql("select exists (select 1 from time_off where therapist_id = :id) as e")
                .bind("id", therapistId).map(r -> Boolean.TRUE.equals(r.get("e", Boolean.class))).one();
    }

    private static TimeOff timeOff(io.r2dbc.spi.Readable r) {
        return new TimeOff(r.get("id", Long.class), r.get("therapist_id", String.class),
                r.get("starts_at", OffsetDateTime.class).toInstant(), r.get("ends_at", OffsetDateTime.class).toInstant(),
                r.get("reason", String.class));
    }

    // ---- closures ----

    /** Adds a closure unless its id exists (also a withdrawn one): 1 when added, 0 when it existed. */
    Mono<Long> insertClosure(String id, LocalDate date, String locationId, String reason, Instant at) {
        var spec = db.sql("""
                        insert into closure (id, closure_date, location_id, reason, created_at)
                        values (:id, :date, :loc, :reason, :at) on conflict (id) do nothing""")
                .bind("id", id).bind("date", date).bind("reason", reason).bind("at", utc(at));
        return nullable(spec, "loc", locationId).fetch().rowsUpdated();
    }

    /** Withdraws a closure in force; empty when there is none of that id. */
    Mono<clinic.booking.catalog.Closure> removeClosure(String id, Instant at) {
        return db.sql("""
                        update closure set removed_at = :at where id = :id and removed_at is null
                        returning id, closure_date, location_id, reason""")
                .bind("id", id).bind("at", utc(at))
                .map(r -> new clinic.booking.catalog.Closure(r.get("id", String.class),
                        r.get("closure_date", LocalDate.class), r.get("location_id", String.class),
                        r.get("reason", String.class)))
                .one();
    }

    // ---- bookings a change may strand ----

    /** A confirmed booking that a change may have left outside availability. */
    record Candidate(UUID id, String reference, String locationId, String treatmentId, String therapistId,
                     Instant startsAt, Instant endsAt) {}

    /** Confirmed bookings starting in {@code [from, to)} matching one column (location, treatment, therapist). */
    Flux<Candidate> confirmed(String column, String value, Instant from, Instant to) {
        if (!List.of("location_id", "treatment_id", "therapist_id").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return db.sql("""
                        select id, reference, location_id, treatment_id, therapist_id, starts_at, ends_at from booking
                        where status = 'CONFIRMED' and %s = :value and starts_at >= :from and starts_at < :to
                        order by starts_at, reference""".formatted(column))
                .bind("value", value).bind("from", utc(from)).bind("to", utc(to))
                .map(AdminRepository::candidate).all();
    }

    /** Confirmed bookings starting in {@code [from, to)}, of every location or of one. */
    Flux<Candidate> confirmedBetween(String locationId, Instant from, Instant to) {
        var spec = db.sql("""
                        select id, reference, location_id, treatment_id, therapist_id, starts_at, ends_at from booking
                        where status = 'CONFIRMED' and starts_at >= :from and starts_at < :to
                          and (cast(:loc as text) is null or location_id = :loc)
                        order by starts_at, reference""")
                .bind("from", utc(from)).bind("to", utc(to));
        return nullable(spec, "loc", locationId).map(AdminRepository::candidate).all();
    }

    /** Confirmed bookings of a therapist overlapping {@code [from, to)} and starting after {@code after}. */
    Flux<Candidate> confirmedOverlapping(String therapistId, Instant from, Instant to, Instant after) {
        return db.sql("""
                        select id, reference, location_id, treatment_id, therapist_id, starts_at, ends_at from booking
                        where status = 'CONFIRMED' and therapist_id = :id and starts_at < :to and ends_at > :from
                          and starts_at >= :after
                        order by starts_at, reference""")
                .bind("id", therapistId).bind("from", utc(from)).bind("to", utc(to)).bind("after", utc(after))
                .map(AdminRepository::candidate).all();
    }

    private static Candidate candidate(io.r2dbc.spi.Readable r) {
        return new Candidate(r.get("id", UUID.class), r.get("reference", String.class),
                r.get("location_id", String.class), r.get("treatment_id", String.class),
                r.get("therapist_id", String.class), r.get("starts_at", OffsetDateTime.class).toInstant(),
                r.get("ends_at", OffsetDateTime.class).toInstant());
    }

    private static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, Object value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
