package clinic.booking.desk;

import clinic.booking.availability.SlotGenerator;
import clinic.booking.availability.SlotGenerator.Interval;
import clinic.booking.availability.SlotGenerator.LocalRange;
import clinic.booking.availability.SlotGenerator.TherapistDay;
import clinic.booking.catalog.CatalogRepository;
import clinic.booking.desk.Diary.ClosureDay;
import clinic.booking.desk.Diary.DiaryBooking;
import clinic.booking.desk.Diary.TherapistColumn;
import clinic.booking.desk.Diary.TimeOff;
import clinic.booking.desk.Diary.TimeRange;
import clinic.kit.web.ClinicException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A location's diary for up to 14 local days. Three round trips whatever the number of therapists
 * and days: the location, then (at once) every rule of the range in one statement and the range's
 * bookings in another. Working hours, breaks, closures and "needs attention" are decided by the
 * same {@link SlotGenerator} rules availability uses, so the diary never shows a therapist free
 * where availability would not offer a slot, nor hides a stranded booking the day list flags.
 */
@Service
public class DiaryService {
    static final int MAX_DAYS = 14;
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final DatabaseClient db;
    private final CatalogRepository catalog;
    private final Clock clock;

    DiaryService(DatabaseClient db, CatalogRepository catalog, Clock clock) {
        this.db = db;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Mono<Diary> diary(String locationId, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) return Mono.error(ClinicException.invalid("to", "must not be before from"));
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            return Mono.error(ClinicException.invalid("to", "the diary shows at most " + MAX_DAYS + " days"));
        }
        return catalog.location(locationId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("locationId", "unknown location")))
                .flatMap(location -> {
                    ZoneId zone = ZoneId.of(location.timeZone());
                    Instant start = from.atStartOfDay(zone).toInstant();
                    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
                    return Mono.zip(rules(locationId, from, to, start, end).collectList(),
                                    bookings(locationId, start, end).collectList())
                            .map(t -> build(locationId, from, to, zone, t.getT1(), t.getT2()));
                });
    }

    // ---- assembling ----

    private Diary build(String locationId, LocalDate from, LocalDate to, ZoneId zone, List<RuleRow> rows,
                        List<BookingRow> bookings) {
        Map<String, TreeMap<LocalDate, Long>> versions = new HashMap<>();     // therapist → effectiveFrom → version
        Map<Long, Map<Integer, List<Entry>>> entries = new HashMap<>();        // version → dow → entries here
        Map<Long, List<LocalRange>> breaks = new HashMap<>();                  // entry → breaks
        Map<Integer, List<LocalRange>> opening = new HashMap<>();              // dow → opening hours
        Map<String, List<TimeOff>> timeOff = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        Set<String> inactiveTherapists = new HashSet<>();
        Set<String> inactiveTreatments = new HashSet<>();
        List<ClosureDay> closures = new ArrayList<>();
        boolean locationInactive = false;
        for (RuleRow r : rows) {
            switch (r.kind()) {
                case "V" -> versions.computeIfAbsent(r.therapistId(), k -> new TreeMap<>()).put(r.date(), Long.valueOf(r.id()));
                case "H" -> entries.computeIfAbsent(Long.valueOf(r.ref()), k -> new HashMap<>())
                        .computeIfAbsent((int) r.dow(), k -> new ArrayList<>())
                        .add(new Entry(Long.parseLong(r.id()), new LocalRange(r.localStart(), r.localEnd())));
                case "B" -> breaks.computeIfAbsent(Long.valueOf(r.ref()), k -> new ArrayList<>())
                        .add(new LocalRange(r.localStart(), r.localEnd()));
                case "L" -> opening.computeIfAbsent((int) r.dow(), k -> new ArrayList<>())
                        .add(new LocalRange(r.localStart(), r.localEnd()));
                case "X" -> locationInactive = true;
                case "C" -> closures.add(new ClosureDay(r.id(), r.date(), r.ref(), r.name()));
                case "O" -> timeOff.computeIfAbsent(r.therapistId(), k -> new ArrayList<>())
                        .add(new TimeOff(r.id(), r.start().toInstant(), r.end().toInstant()));
                case "T" -> {
                    names.put(r.therapistId(), r.name());
                    if (!Boolean.TRUE.equals(r.flag())) inactiveTherapists.add(r.therapistId());
                }
                case "J" -> inactiveTreatments.add(r.id());
                default -> { }
            }
        }
        closures.sort(Comparator.comparing(ClosureDay::date).thenComparing(ClosureDay::id));
        Set<LocalDate> closedDays = new HashSet<>();
        closures.forEach(c -> closedDays.add(c.date()));
        Map<String, Map<LocalDate, List<BookingRow>>> booked = new HashMap<>();
        for (BookingRow b : bookings) {
            booked.computeIfAbsent(b.therapistId(), k -> new HashMap<>())
                    .computeIfAbsent(LocalDate.ofInstant(b.startsAt(), zone), k -> new ArrayList<>()).add(b);
        }
        Instant now = clock.instant();
        List<TherapistColumn> columns = new ArrayList<>();
        for (String therapistId : names.keySet()) {
            List<Diary.Day> days = new ArrayList<>();
            for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
                int dow = date.getDayOfWeek().getValue();
                List<LocalRange> dayOpening = opening.getOrDefault(dow, List.of());
                boolean closed = locationInactive || closedDays.contains(date) || dayOpening.isEmpty();
                List<Entry> here = new ArrayList<>();
                Map.Entry<LocalDate, Long> inForce = versions.getOrDefault(therapistId, new TreeMap<>()).floorEntry(date);
                if (inForce != null) here.addAll(entries.getOrDefault(inForce.getValue(), Map.of()).getOrDefault(dow, List.of()));
                here.sort(Comparator.comparing(e -> e.hours().start()));
                List<LocalRange> hours = closed || inactiveTherapists.contains(therapistId) ? List.of()
                        : SlotGenerator.within(here.stream().map(Entry::hours).toList(), dayOpening);
                List<LocalRange> dayBreaks = hours.isEmpty() ? List.of() : here.stream()
                        .flatMap(e -> breaks.getOrDefault(e.id(), List.of()).stream())
                        .sorted(Comparator.comparing(LocalRange::start)).toList();
                Instant dayStart = date.atStartOfDay(zone).toInstant();
                Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
                List<TimeOff> off = timeOff.getOrDefault(therapistId, List.of()).stream()
                        .filter(t -> t.from().isBefore(dayEnd) && t.to().isAfter(dayStart)).toList();
                TherapistDay rules = new TherapistDay(therapistId, hours, dayBreaks,
                        off.stream().map(t -> new Interval(t.from(), t.to())).toList(), List.of());
                final LocalDate day = date;
                List<DiaryBooking> dayBookings = booked.getOrDefault(therapistId, Map.of())
                        .getOrDefault(date, List.of()).stream()
                        .map(b -> new DiaryBooking(b.reference(), b.startsAt(), b.endsAt(), b.treatmentId(),
                                b.customerName(), b.status(),
                                // Availability's own test of a made appointment (SlotGenerator.fits).
                                "CONFIRMED".equals(b.status()) && b.startsAt().isAfter(now)
                                        && (closed || inactiveTherapists.contains(therapistId)
                                        || inactiveTreatments.contains(b.treatmentId())
                                        || !SlotGenerator.fits(day, zone, rules, b.startsAt(), b.endsAt())),
                                b.attendance()))
                        .toList();
                days.add(new Diary.Day(date, ranges(hours), ranges(dayBreaks), off, dayBookings));
            }
            columns.add(new TherapistColumn(therapistId, names.get(therapistId), days));
        }
        columns.sort(Comparator.comparing(TherapistColumn::name).thenComparing(TherapistColumn::id));
        return new Diary(locationId, from, to, columns, closures);
    }

    private static List<TimeRange> ranges(List<LocalRange> ranges) {
        return ranges.stream().map(r -> new TimeRange(HH_MM.format(r.start()), HH_MM.format(r.end()))).toList();
    }

    private record Entry(long id, LocalRange hours) {}

    // ---- reading ----

    /**
     * Every rule of the range in one statement. The therapists are those with pattern entries here
     * (any version up to {@code to}) or bookings here in the range; for them: every pattern version
     * up to {@code to} ('V', so the version in force on each day is known, including a later one
     * without entries here), the entries here ('H') and their breaks ('B'); the location's opening
     * hours ('L'), inactive flag ('X') and closures ('C'); time off overlapping the range ('O');
     * names and active flags ('T'); inactive treatments ('J').
     */
    private reactor.core.publisher.Flux<RuleRow> rules(String locationId, LocalDate from, LocalDate to, Instant start,
                                                      Instant end) {
        String sql = """
                with ths as (
                    select v.therapist_id from pattern_version v join pattern_entry pe on pe.version_id = v.id
                    where pe.location_id = :loc and v.effective_from <= :to
                    union
                    select therapist_id from booking where location_id = :loc and starts_at >= :start and starts_at < :end),
                v as (
                    select pv.id, pv.therapist_id, pv.effective_from from pattern_version pv
                    join ths on ths.therapist_id = pv.therapist_id where pv.effective_from <= :to),
                e as (
                    select pe.id, pe.version_id, pe.day_of_week, pe.start_time, pe.end_time
                    from pattern_entry pe join v on pe.version_id = v.id where pe.location_id = :loc)
                select 'V' as kind, therapist_id, id::text as id, null::text as ref, null::smallint as dow,
                       effective_from as d, null::time as lt_s, null::time as lt_e, null::timestamptz as s,
                       null::timestamptz as e, null::text as name, null::boolean as flag
                from v
                union all
                select 'H', null, id::text, version_id::text, day_of_week, null, start_time, end_time, null, null, null, null
                from e
                union all
                select 'B', null, pb.id::text, pb.entry_id::text, null, null, pb.start_time, pb.end_time, null, null, null, null
                from pattern_break pb join e on pb.entry_id = e.id
                union all
                select 'L', null, null, null, day_of_week, null, start_time, end_time, null, null, null, null
                from location_opening_hours where location_id = :loc
                union all
                select 'X', null, null, null, null, null, null, null, null, null, null, null
                from location where id = :loc and not active
                union all
                select 'C', null, id, location_id, null, closure_date, null, null, null, null, reason, null
                from closure where closure_date between :from and :to and removed_at is null
                  and (location_id is null or location_id = :loc)
                union all
                select 'O', t.therapist_id, t.id::text, null, null, null, null, null, t.starts_at, t.ends_at, null, null
                from time_off t join ths on ths.therapist_id = t.therapist_id
                where t.starts_at < :end and t.ends_at > :start
                union all
                select 'T', th.id, null, null, null, null, null, null, null, null, th.name, th.active
                from therapist th join ths on ths.therapist_id = th.id
                union all
                select 'J', null, id, null, null, null, null, null, null, null, null, null
                from treatment where not active""";
        return db.sql(sql).bind("loc", locationId).bind("from", from).bind("to", to)
                .bind("start", utc(start)).bind("end", utc(end))
                .map(r -> new RuleRow(r.get("kind", String.class), r.get("therapist_id", String.class),
                        r.get("id", String.class), r.get("ref", String.class), dow(r.get("dow", Short.class)),
                        r.get("d", LocalDate.class), r.get("lt_s", LocalTime.class), r.get("lt_e", LocalTime.class),
                        r.get("s", OffsetDateTime.class), r.get("e", OffsetDateTime.class), r.get("name", String.class),
                        r.get("flag", Boolean.class)))
                .all();
    }

    private static short dow(Short s) {
        return s == null ? 0 : s;
    }

    private reactor.core.publisher.Flux<BookingRow> bookings(String locationId, Instant start, Instant end) {
        return db.sql("""
                        select reference, therapist_id, treatment_id, starts_at, ends_at, customer_name, status, attendance
                        from booking where location_id = :loc and starts_at >= :start and starts_at < :end
                        order by starts_at, reference""")
                .bind("loc", locationId).bind("start", utc(start)).bind("end", utc(end))
                .map(r -> new BookingRow(r.get("reference", String.class), r.get("therapist_id", String.class),
                        r.get("treatment_id", String.class), r.get("starts_at", OffsetDateTime.class).toInstant(),
                        r.get("ends_at", OffsetDateTime.class).toInstant(), r.get("customer_name", String.class),
                        r.get("status", String.class), r.get("attendance", String.class)))
                .all();
    }

    private record RuleRow(String kind, String therapistId, String id, String ref, short dow, LocalDate date,
                           LocalTime localStart, LocalTime localEnd, OffsetDateTime start, OffsetDateTime end,
                           String name, Boolean flag) {}

    private record BookingRow(String reference, String therapistId, String treatmentId, Instant startsAt,
                              Instant endsAt, String customerName, String status, String attendance) {}

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

}
