package clinic.booking.availability;

import clinic.booking.availability.SlotGenerator.Interval;
import clinic.booking.availability.SlotGenerator.LocalRange;
import clinic.booking.availability.SlotGenerator.TherapistDay;
import clinic.booking.catalog.CatalogRepository;
import clinic.booking.catalog.CatalogRepository.Selection;
import clinic.booking.catalog.Location;
import clinic.booking.catalog.Treatment;
import clinic.booking.config.BookingSettings;
import clinic.kit.web.ClinicException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Free slots of a location's day, and whether made appointments still fit the rules. Loads the
 * day's rules (opening hours, closures, the pattern version in force for every candidate therapist
 * with its breaks, time off, bookings, and what is inactive) in one statement after one catalogue
 * read, then leaves the rest to {@link SlotGenerator}. Two database round trips per question; one,
 * reading only time off, bookings and the catalogue version, when the catalogue read and the day's
 * catalogue part are still current (see {@link #availability} and {@link #day}): round trips and
 * statement size, not the slot arithmetic, are most of its cost (see docs/benchmarks.md). Slots and the
 * "needs attention" check of bookings use the same day load and the same generator rules.
 */
@Service
public class AvailabilityService {
    private final DatabaseClient db;
    private final CatalogRepository catalog;
    private final BookingSettings settings;
    private final Clock clock;
    /** What {@link #availability} read of the catalogue, by question and day (see there). */
    private final Map<Question, Selection> selections = new ConcurrentHashMap<>();
    /** The catalogue's part of each day asked about (see {@link #day}). */
    private final Map<DayKey, DayRules> dayRules = new ConcurrentHashMap<>();
    /** Entries either map keeps before it starts again (keys carry their day; clearing keeps old days out). */
    private static final int MAX_KEPT = 4096;

    public AvailabilityService(DatabaseClient db, CatalogRepository catalog, BookingSettings settings, Clock clock) {
        this.db = db;
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    public record DayAvailability(LocalDate date, String locationId, String treatmentId, List<Slot> slots) {}

    /** A made appointment, as far as the rules are concerned. */
    public record Appointment(UUID id, String locationId, String treatmentId, String therapistId, Instant startsAt,
                              Instant endsAt) {}

    /**
     * The public question: unknown ids are validation failures naming the query parameter.
     * What it reads of the catalogue (location, treatment, who offers it there) is kept per question
     * and day, and the day's statement checks that the catalogue has not changed since (its version,
     * V21 migration, in the same snapshot as the day's rules): a repeated question costs one round trip
     * instead of two, and an answer never rests on a catalogue older than the day it read. On any
     * change, or when the day was not read at all, the question is answered afresh.
     */
    public Mono<DayAvailability> availability(String locationId, String treatmentId, LocalDate date,
                                              String therapistId) {
        var key = new Question(locationId, treatmentId, therapistId, LocalDate.now(clock.withZone(settings.zone())));
        Mono<DayAvailability> fresh = Mono.defer(() -> catalog.knownSelection(locationId, treatmentId, therapistId)
                .flatMap(sel -> answer(sel, date, therapistId).map(a -> {
                    if (a.catalogueVersion() == sel.catalogueVersion()) keep(selections, key, sel);
                    return a.availability();
                })));
        Selection known = selections.get(key);
        if (known == null) return fresh;
        return answer(known, date, therapistId).flatMap(a -> a.catalogueVersion() == known.catalogueVersion()
                ? Mono.just(a.availability()) : Mono.fromRunnable(() -> selections.remove(key, known)).then(fresh));
    }

    /** What a catalogue read is kept by: the question, and the day it was asked on (the read depends on "today"). */
    private record Question(String locationId, String treatmentId, String therapistId, LocalDate askedOn) {}

    /** The answer, and the catalogue version its day was read at (-1: the day was not read). */
    private record Answer(DayAvailability availability, long catalogueVersion) {}

    private Mono<Answer> answer(Selection sel, LocalDate date, String therapistId) {
        if (therapistId != null && !sel.therapistKnown()) {
            return Mono.error(ClinicException.invalid("therapistId", "unknown therapist"));
        }
        List<String> ids = therapistId == null ? sel.offeringIds()
                : sel.offeringIds().stream().filter(therapistId::equals).toList();
        return slotsRead(sel.location(), sel.treatment(), date, ids, null, false).map(r -> new Answer(
                new DayAvailability(date, sel.location().id(), sel.treatment().id(), r.slots()), r.catalogueVersion()));
    }

    /** Whether a catalogue read for this question is kept today (tests; any therapist filter). */
    public boolean remembers(String locationId, String treatmentId) {
        return selections.keySet().stream()
                .anyMatch(q -> q.locationId().equals(locationId) && q.treatmentId().equals(treatmentId));
    }

    private static <K, V> void keep(Map<K, V> kept, K key, V value) {
        if (kept.size() >= MAX_KEPT) kept.clear();
        kept.put(key, value);
    }

    /**
     * Free slots of {@code therapistIds} on the local {@code date}.
     *
     * @param ignoreBooking a booking whose own time does not count as taken (it is being moved)
     */
    public Mono<List<Slot>> slots(Location location, Treatment treatment, LocalDate date, List<String> therapistIds,
                                  UUID ignoreBooking) {
        return slots(location, treatment, date, therapistIds, ignoreBooking, false);
    }

    /**
     * @param staff the staff desk asks: no minimum notice (a caller on the phone may be booked for
     *              this afternoon), but still nothing before now; every other rule as for customers
     */
    public Mono<List<Slot>> slots(Location location, Treatment treatment, LocalDate date, List<String> therapistIds,
                                  UUID ignoreBooking, boolean staff) {
        return slotsRead(location, treatment, date, therapistIds, ignoreBooking, staff).map(SlotsRead::slots);
    }

    /** Slots, and the catalogue version of the day they were made from (-1: no day was read). */
    private record SlotsRead(List<Slot> slots, long catalogueVersion) {}

    private Mono<SlotsRead> slotsRead(Location location, Treatment treatment, LocalDate date,
                                      List<String> therapistIds, UUID ignoreBooking, boolean staff) {
        ZoneId zone = ZoneId.of(location.timeZone());
        Instant now = clock.instant();
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        var rules = new SlotGenerator.Rules(Duration.ofMinutes(treatment.durationMinutes()), settings.buffer(),
                BookingSettings.GRID_MINUTES, staff ? now : now.plus(settings.minimumNotice()),
                now.plus(settings.horizon()));
        if (therapistIds.isEmpty() || !dayEnd.isAfter(rules.earliest()) || dayStart.isAfter(rules.latest())) {
            return Mono.just(new SlotsRead(List.of(), -1));
        }
        Instant bookedTo = dayEnd.plus(treatment.durationMinutes(), ChronoUnit.MINUTES).plus(settings.buffer());
        return day(location.id(), date, zone, therapistIds, List.of(), ignoreBooking, bookedTo).map(day -> {
            if (day.closed()) return new SlotsRead(List.of(), day.catalogueVersion());
            List<TherapistDay> days = new ArrayList<>();
            for (String id : therapistIds) {
                if (!day.inactiveTherapists().contains(id)) days.add(day.therapist(id));
            }
            return new SlotsRead(SlotGenerator.slots(date, zone, rules, days), day.catalogueVersion());
        });
    }

    /**
     * The ids of those {@code appointments} that no longer fit the rules: a closure, an inactive
     * location, treatment or therapist, outside the opening hours or the pattern in force that day,
     * in a break or in time off. One day load per location and local date among them.
     */
    public Mono<Set<UUID>> notFitting(Collection<Appointment> appointments) {
        ZoneId zone = settings.zone();
        Map<String, List<Appointment>> byDay = new LinkedHashMap<>();
        for (Appointment a : appointments) {
            byDay.computeIfAbsent(a.locationId() + "|" + LocalDate.ofInstant(a.startsAt(), zone), k -> new ArrayList<>())
                    .add(a);
        }
        return Flux.fromIterable(byDay.values()).concatMap(group -> {
            Appointment first = group.get(0);
            LocalDate date = LocalDate.ofInstant(first.startsAt(), zone);
            List<String> therapists = group.stream().map(Appointment::therapistId).distinct().toList();
            List<String> treatments = group.stream().map(Appointment::treatmentId).distinct().toList();
            // Bookings are not rules here: the day load need not read any.
            return day(first.locationId(), date, zone, therapists, treatments, null, null)
                    .flatMapIterable(day -> group.stream().filter(a -> !fits(day, date, zone, a))
                            .map(Appointment::id).toList());
        }).collect(HashSet::new, Set::add);
    }

    private static boolean fits(Day day, LocalDate date, ZoneId zone, Appointment a) {
        if (day.closed() || day.inactiveTherapists().contains(a.therapistId())
                || day.inactiveTreatments().contains(a.treatmentId())) {
            return false;
        }
        return SlotGenerator.fits(date, zone, day.therapist(a.therapistId()), a.startsAt(), a.endsAt());
    }

    /**
     * One location's local day: what {@link SlotGenerator} needs for each therapist (hours already
     * cut to the opening hours), whether the location is closed that day (closure, inactive, or no
     * opening hours), and which of the asked therapists and treatments are inactive.
     */
    private record Day(DayRules rules, Taken taken) {
        boolean closed() {
            return rules.closed();
        }

        Set<String> inactiveTherapists() {
            return rules.inactiveTherapists();
        }

        Set<String> inactiveTreatments() {
            return rules.inactiveTreatments();
        }

        long catalogueVersion() {
            return taken.catalogueVersion();
        }

        TherapistDay therapist(String id) {
            return new TherapistDay(id, rules.hours().getOrDefault(id, List.of()),
                    rules.breaks().getOrDefault(id, List.of()), taken.timeOff().getOrDefault(id, List.of()),
                    taken.booked().getOrDefault(id, List.of()));
        }
    }

    /**
     * The catalogue's part of a day: opening hours, closures, patterns and breaks, what is inactive.
     * It changes only with the catalogue, so it is kept per {@link DayKey} with the catalogue version it
     * was read at (see {@link #day}).
     */
    private record DayRules(boolean closed, Map<String, List<LocalRange>> hours,
                            Map<String, List<LocalRange>> breaks, Set<String> inactiveTherapists,
                            Set<String> inactiveTreatments, long catalogueVersion) {}

    /** The part of a day that moves with every booking: time off, bookings, and the catalogue version read with them. */
    private record Taken(Map<String, List<Interval>> timeOff, Map<String, List<Interval>> booked,
                         long catalogueVersion) {}

    private record DayKey(String locationId, LocalDate date, List<String> therapistIds, List<String> treatmentIds) {}

    /** Whether the catalogue's part of this location's day is kept (tests). */
    public boolean remembersDay(String locationId, LocalDate date) {
        return dayRules.keySet().stream().anyMatch(k -> k.locationId().equals(locationId) && k.date().equals(date));
    }

    /**
     * The day in one statement. When its catalogue part is kept, the statement reads only time off,
     * bookings and the catalogue version (in one snapshot): if that version is the kept part's, the
     * catalogue has not changed since (every committed write to a catalogue table moves it, V21) and
     * the kept part is that snapshot's. Otherwise the whole day is read again, as on a first question.
     *
     * @param bookedTo end of the range whose bookings count (null: no bookings read)
     */
    private Mono<Day> day(String locationId, LocalDate date, ZoneId zone, List<String> therapistIds,
                          List<String> treatmentIds, UUID ignoreBooking, Instant bookedTo) {
        var key = new DayKey(locationId, date, List.copyOf(therapistIds), List.copyOf(treatmentIds));
        DayRules kept = dayRules.get(key);
        Mono<Day> whole = Mono.defer(() -> dayStatement(key, zone, ignoreBooking, bookedTo, true).map(rows -> {
            Day day = new Day(rules(rows), taken(rows));
            if (day.rules().catalogueVersion() >= 0) keep(dayRules, key, day.rules());
            return day;
        }));
        if (kept == null) return whole;
        return dayStatement(key, zone, ignoreBooking, bookedTo, false).flatMap(rows -> {
            Taken taken = taken(rows);
            return taken.catalogueVersion() == kept.catalogueVersion() ? Mono.just(new Day(kept, taken))
                    : Mono.fromRunnable(() -> dayRules.remove(key, kept)).then(whole);
        });
    }

    private Mono<List<DayRow>> dayStatement(DayKey key, ZoneId zone, UUID ignoreBooking, Instant bookedTo,
                                            boolean withRules) {
        LocalDate date = key.date();
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        short dow = (short) date.getDayOfWeek().getValue();
        // Everything about the day in one statement (one round trip and one pooled connection): the
        // location's opening hours ('L') and state ('X': inactive, 'C': closed that day), each
        // therapist's pattern version in force that day with its entries here ('H') and their breaks
        // ('B'), the inactive among the asked therapists ('I') and treatments ('J'); then what moves
        // with every booking: time off ('O'), bookings ('K', every location's: a therapist booked
        // elsewhere that day is not free here; the range test matches the exclusion constraint's gist
        // index), and the catalogue's version ('V'). Without the rules, only the last three.
        String rules = !withRules ? "" : """
                with v as (
                    select distinct on (therapist_id) id, therapist_id from pattern_version
                    where therapist_id = any(:ids) and effective_from <= :date
                    order by therapist_id, effective_from desc),
                e as (
                    select pe.id, v.therapist_id, pe.start_time, pe.end_time
                    from pattern_entry pe join v on pe.version_id = v.id
                    where pe.location_id = :loc and pe.day_of_week = :dow)
                select 'H' as kind, therapist_id, start_time as lt_s, end_time as lt_e,
                       null::timestamptz as s, null::timestamptz as e
                from e
                union all
                select 'B', e.therapist_id, pb.start_time, pb.end_time, null, null
                from pattern_break pb join e on pb.entry_id = e.id
                union all
                select 'L', null, start_time, end_time, null, null
                from location_opening_hours where location_id = :loc and day_of_week = :dow
                union all
                select 'X', null, null, null, null, null from location where id = :loc and not active
                union all
                select 'C', null, null, null, null, null from closure
                where closure_date = :date and removed_at is null and (location_id is null or location_id = :loc)
                union all
                select 'I', id, null, null, null, null from therapist where id = any(:ids) and not active
                union all
                select 'J', id, null, null, null, null from treatment where id = any(:treatments) and not active
                union all
                """;
        String bookings = bookedTo == null ? "" : """
                union all
                select 'K', therapist_id, null, null, starts_at, blocked_until
                from booking where status = 'CONFIRMED' and therapist_id = any(:ids)
                  and tstzrange(starts_at, blocked_until) && tstzrange(:from, :bookedTo)%s
                """.formatted(ignoreBooking == null ? "" : " and id <> :ignore");
        String sql = rules + """
                select 'V' as kind, version::text as therapist_id, null::time as lt_s, null::time as lt_e,
                       null::timestamptz as s, null::timestamptz as e
                from catalogue_version
                union all
                select 'O', therapist_id, null, null, starts_at, ends_at
                from time_off where therapist_id = any(:ids) and starts_at < :to and ends_at > :from
                %s
                order by kind, therapist_id, lt_s, s""".formatted(bookings);
        var spec = db.sql(sql).bind("ids", key.therapistIds().toArray(String[]::new))
                .bind("from", utc(dayStart)).bind("to", utc(dayEnd));
        if (withRules) {
            spec = spec.bind("loc", key.locationId()).bind("dow", dow).bind("date", date)
                    .bind("treatments", key.treatmentIds().toArray(String[]::new));
        }
        if (bookedTo != null) spec = spec.bind("bookedTo", utc(bookedTo));
        if (ignoreBooking != null) spec = spec.bind("ignore", ignoreBooking);
        return spec.map(DayRow::of).all().collectList();
    }

    private static DayRules rules(List<DayRow> rows) {
        Map<String, List<LocalRange>> hours = new HashMap<>();
        Map<String, List<LocalRange>> breaks = new HashMap<>();
        List<LocalRange> opening = new ArrayList<>();
        Set<String> inactiveTherapists = new HashSet<>();
        Set<String> inactiveTreatments = new HashSet<>();
        boolean closed = false;
        for (DayRow r : rows) {
            switch (r.kind()) {
                case "H" -> hours.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.local());
                case "B" -> breaks.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.local());
                case "L" -> opening.add(r.local());
                case "X", "C" -> closed = true;
                case "I" -> inactiveTherapists.add(r.therapistId());
                case "J" -> inactiveTreatments.add(r.therapistId());
                default -> { }
            }
        }
        hours.replaceAll((id, ranges) -> List.copyOf(SlotGenerator.within(ranges, opening)));
        breaks.replaceAll((id, ranges) -> List.copyOf(ranges));
        return new DayRules(closed || opening.isEmpty(), Map.copyOf(hours), Map.copyOf(breaks),
                Set.copyOf(inactiveTherapists), Set.copyOf(inactiveTreatments), version(rows));
    }

    private static Taken taken(List<DayRow> rows) {
        Map<String, List<Interval>> timeOff = new HashMap<>();
        Map<String, List<Interval>> booked = new HashMap<>();
        for (DayRow r : rows) {
            switch (r.kind()) {
                case "O" -> timeOff.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.interval());
                case "K" -> booked.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.interval());
                default -> { }
            }
        }
        return new Taken(timeOff, booked, version(rows));
    }

    private static long version(List<DayRow> rows) {
        for (DayRow r : rows) {
            if (r.kind().equals("V")) return Long.parseLong(r.therapistId());
        }
        return -1;
    }

    /** One row of the day query: a local range (hours, breaks, opening) or an instant interval (time off, bookings). */
    private record DayRow(String kind, String therapistId, LocalTime localStart, LocalTime localEnd,
                          OffsetDateTime start, OffsetDateTime end) {
        static DayRow of(io.r2dbc.spi.Readable r) {
            return new DayRow(r.get("kind", String.class), r.get("therapist_id", String.class),
                    r.get("lt_s", LocalTime.class), r.get("lt_e", LocalTime.class),
                    r.get("s", OffsetDateTime.class), r.get("e", OffsetDateTime.class));
        }

        LocalRange local() {
            return new LocalRange(localStart, localEnd);
        }

        Interval interval() {
            return new Interval(start.toInstant(), end.toInstant());
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
