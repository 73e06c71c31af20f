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
 * candidate therapist in one statement (after one catalogue read), then leaves the rest to
 * {@link SlotGenerator}. Two database round trips per question: round trips, not SQL work, are most
 * of its cost (see docs/benchmarks.md).
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
        return catalog.knownSelection(locationId, treatmentId, therapistId).flatMap(sel -> {
            if (therapistId != null && !sel.therapistKnown()) {
                return Mono.error(ClinicException.invalid("therapistId", "unknown therapist"));
            }
            List<String> ids = therapistId == null ? sel.offeringIds()
                    : sel.offeringIds().stream().filter(therapistId::equals).toList();
            return slots(sel.location(), sel.treatment(), date, ids, null)
                    .map(slots -> new DayAvailability(date, locationId, treatmentId, slots));
        });
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
        // The day's working hours, breaks, time off and bookings in one statement (one round trip
        // and one pooled connection instead of four). Every location's bookings count: a therapist
        // booked elsewhere that day is not free here; the range test matches the exclusion
        // constraint's gist index.
        String sql = """
                select 'H' as kind, therapist_id, start_time as lt_s, end_time as lt_e,
                       null::timestamptz as s, null::timestamptz as e
                from working_hours where location_id = :loc and day_of_week = :dow and therapist_id = any(:ids)
                union all
                select 'B', therapist_id, start_time, end_time, null, null
                from therapist_break where location_id = :loc and day_of_week = :dow and therapist_id = any(:ids)
                union all
                select 'O', therapist_id, null, null, starts_at, ends_at
                from time_off where therapist_id = any(:ids) and starts_at < :to and ends_at > :from
                union all
                select 'K', therapist_id, null, null, starts_at, blocked_until
                from booking where status = 'CONFIRMED' and therapist_id = any(:ids)
                  and tstzrange(starts_at, blocked_until) && tstzrange(:from, :bookedTo)%s
                order by kind, therapist_id, lt_s, s""".formatted(ignoreBooking == null ? "" : " and id <> :ignore");
        var spec = db.sql(sql).bind("loc", location.id()).bind("dow", dow).bind("ids", ids)
                .bind("from", utc(dayStart)).bind("to", utc(dayEnd))
                .bind("bookedTo", utc(dayEnd.plus(treatment.durationMinutes(), java.time.temporal.ChronoUnit.MINUTES)
                        .plus(settings.buffer())));
        if (ignoreBooking != null) spec = spec.bind("ignore", ignoreBooking);
        return spec.map(DayRow::of).all().collectList().map(rows -> {
            Map<String, List<LocalRange>> hours = new HashMap<>();
            Map<String, List<LocalRange>> breaks = new HashMap<>();
            Map<String, List<Interval>> timeOff = new HashMap<>();
            Map<String, List<Interval>> booked = new HashMap<>();
            for (DayRow r : rows) {
                switch (r.kind()) {
                    case "H" -> hours.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.local());
                    case "B" -> breaks.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.local());
                    case "O" -> timeOff.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.interval());
                    default -> booked.computeIfAbsent(r.therapistId(), k -> new ArrayList<>()).add(r.interval());
                }
            }
            List<TherapistDay> days = new ArrayList<>();
            for (String id : therapistIds) {
                days.add(new TherapistDay(id, hours.getOrDefault(id, List.of()), breaks.getOrDefault(id, List.of()),
                        timeOff.getOrDefault(id, List.of()), booked.getOrDefault(id, List.of())));
            }
            return SlotGenerator.slots(date, zone, rules, days);
        });
    }

    /** One row of the day query: a local range (hours, breaks) or an instant interval (time off, bookings). */
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
