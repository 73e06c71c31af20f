package clinic.booking.availability;

import clinic.booking.availability.SlotGenerator.Interval;
import clinic.booking.availability.SlotGenerator.LocalRange;
import clinic.booking.availability.SlotGenerator.TherapistDay;
import clinic.booking.catalog.CatalogRepository;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Free slots of a location's day. Loads the day's hours, breaks, time off and bookings of every
 * candidate therapist in bulk (four indexed queries), then leaves the rest to {@link SlotGenerator}.
 */
@Service
public class AvailabilityService {
    private final DatabaseClient db;
    private final CatalogRepository catalog;
    private final BookingSettings settings;
    private final Clock clock;

    public AvailabilityService(DatabaseClient db, CatalogRepository catalog, BookingSettings settings, Clock clock) {
        this.db = db;
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    public record DayAvailability(LocalDate date, String locationId, String treatmentId, List<Slot> slots) {}

    /** The public question: unknown ids are validation failures naming the query parameter. */
    public Mono<DayAvailability> availability(String locationId, String treatmentId, LocalDate date,
                                              String therapistId) {
        Mono<Location> location = catalog.location(locationId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("locationId", "unknown location")));
        Mono<Treatment> treatment = catalog.treatment(treatmentId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("treatmentId", "unknown treatment")));
        Mono<Boolean> therapistKnown = therapistId == null ? Mono.just(true)
                : catalog.therapist(therapistId).hasElement().flatMap(found -> found ? Mono.just(true)
                        : Mono.error(ClinicException.invalid("therapistId", "unknown therapist")));
        return Mono.zip(location, treatment, therapistKnown)
                .flatMap(t -> catalog.therapistIdsFor(locationId, treatmentId)
                        .map(ids -> therapistId == null ? ids : ids.stream().filter(therapistId::equals).toList())
                        .flatMap(ids -> slots(t.getT1(), t.getT2(), date, ids, null))
                        .map(slots -> new DayAvailability(date, locationId, treatmentId, slots)));
    }

    /**
     * Free slots of {@code therapistIds} on the local {@code date}.
     *
     * @param ignoreBooking a booking whose own time does not count as taken (it is being moved)
     */
    public Mono<List<Slot>> slots(Location location, Treatment treatment, LocalDate date, List<String> therapistIds,
                                  UUID ignoreBooking) {
        ZoneId zone = ZoneId.of(location.timeZone());
        Instant now = clock.instant();
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        var rules = new SlotGenerator.Rules(Duration.ofMinutes(treatment.durationMinutes()), settings.buffer(),
                BookingSettings.GRID_MINUTES, now.plus(settings.minimumNotice()), now.plus(settings.horizon()));
        if (therapistIds.isEmpty() || !dayEnd.isAfter(rules.earliest()) || dayStart.isAfter(rules.latest())) {
            return Mono.just(List.of());
        }
        String[] ids = therapistIds.toArray(String[]::new);
        short dow = (short) date.getDayOfWeek().getValue();
        Mono<Map<String, List<LocalRange>>> hours = localRanges("working_hours", location.id(), dow, ids);
        Mono<Map<String, List<LocalRange>>> breaks = localRanges("therapist_break", location.id(), dow, ids);
        Mono<Map<String, List<Interval>>> timeOff = intervals(db.sql("""
                        select therapist_id, starts_at as s, ends_at as e from time_off
                        where therapist_id = any(:ids) and starts_at < :to and ends_at > :from""")
                .bind("ids", ids).bind("from", utc(dayStart)).bind("to", utc(dayEnd)));
        // Every location counts: a therapist booked elsewhere that day is not free here.
        // The range test matches the exclusion constraint's gist index.
        String bookedSql = """
                select therapist_id, starts_at as s, blocked_until as e from booking
                where status = 'CONFIRMED' and therapist_id = any(:ids)
                  and tstzrange(starts_at, blocked_until) && tstzrange(:from, :to)""";
        var bookedSpec = db.sql(ignoreBooking == null ? bookedSql : bookedSql + " and id <> :ignore")
                .bind("ids", ids).bind("from", utc(dayStart))
                .bind("to", utc(dayEnd.plus(treatment.durationMinutes(), java.time.temporal.ChronoUnit.MINUTES)
                        .plus(settings.buffer())));
        if (ignoreBooking != null) bookedSpec = bookedSpec.bind("ignore", ignoreBooking);
        Mono<Map<String, List<Interval>>> booked = intervals(bookedSpec);
        return Mono.zip(hours, breaks, timeOff, booked).map(t -> {
            List<TherapistDay> days = new ArrayList<>();
            for (String id : therapistIds) {
                days.add(new TherapistDay(id, t.getT1().getOrDefault(id, List.of()), t.getT2().getOrDefault(id, List.of()),
                        t.getT3().getOrDefault(id, List.of()), t.getT4().getOrDefault(id, List.of())));
            }
            return SlotGenerator.slots(date, zone, rules, days);
        });
    }

    private Mono<Map<String, List<LocalRange>>> localRanges(String table, String locationId, short dow, String[] ids) {
        return db.sql("select therapist_id, start_time, end_time from " + table
                        + " where location_id = :loc and day_of_week = :dow and therapist_id = any(:ids)"
                        + " order by start_time")
                .bind("loc", locationId).bind("dow", dow).bind("ids", ids)
                .map(r -> Map.entry(r.get("therapist_id", String.class),
                        new LocalRange(r.get("start_time", LocalTime.class), r.get("end_time", LocalTime.class))))
                .all()
                .collect(HashMap::new, (m, e) -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    }

    private static Mono<Map<String, List<Interval>>> intervals(DatabaseClient.GenericExecuteSpec spec) {
        return spec.map(r -> Map.entry(r.get("therapist_id", String.class),
                        new Interval(r.get("s", OffsetDateTime.class).toInstant(), r.get("e", OffsetDateTime.class).toInstant())))
                .all()
                .collect(HashMap::new, (m, e) -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
