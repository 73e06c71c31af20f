package clinic.booking.admin;

import clinic.booking.admin.AdminRepository.Candidate;
import clinic.booking.admin.AdminRequests.AffectedBooking;
import clinic.booking.admin.AdminRequests.ClosureBody;
import clinic.booking.admin.AdminRequests.ClosureSaved;
import clinic.booking.admin.AdminRequests.Day;
import clinic.booking.admin.AdminRequests.LocationBody;
import clinic.booking.admin.AdminRequests.PatternVersion;
import clinic.booking.admin.AdminRequests.Saved;
import clinic.booking.admin.AdminRequests.TherapistBody;
import clinic.booking.admin.AdminRequests.TherapistDetails;
import clinic.booking.admin.AdminRequests.TimeOffBody;
import clinic.booking.admin.AdminRequests.TimeOffSaved;
import clinic.booking.admin.AdminRequests.TreatmentBody;
import clinic.booking.admin.AdminRequests.WorkingHoursBody;
import clinic.booking.availability.AvailabilityService;
import clinic.booking.availability.AvailabilityService.Appointment;
import clinic.booking.catalog.CatalogRepository;
import clinic.booking.catalog.Hours;
import clinic.booking.catalog.LocationDetails;
import clinic.booking.catalog.PostalAddress;
import clinic.booking.catalog.Therapist;
import clinic.booking.catalog.Treatment;
import clinic.booking.config.BookingSettings;
import clinic.contracts.catalogue.CatalogueTopics;
import clinic.contracts.catalogue.ClosureChanged;
import clinic.contracts.catalogue.LocationChanged;
import clinic.contracts.catalogue.TherapistChanged;
import clinic.contracts.catalogue.TimeRange;
import clinic.contracts.catalogue.TreatmentChanged;
import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import clinic.kit.web.ClinicException;
import clinic.kit.data.SqlStates;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Administration use cases. Each write is one transaction: the change, its catalogue event (the
 * whole current state, through the outbox) and its audit entry commit together or not at all.
 * Changes that leave confirmed bookings outside availability are applied anyway and answer with
 * those bookings ({@code affectedBookings}), found with the availability rules themselves.
 */
@Service
public class CatalogueAdmin {
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{5,28}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    /** How far ahead a change looks for bookings it strands (beyond any booking horizon). */
    private static final Duration AHEAD = Duration.ofDays(3660);
    private static final int MAX_TIME_OFF_DAYS = 400;

    private final AdminRepository repo;
    private final CatalogRepository catalog;
    private final AvailabilityService availability;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final BookingSettings settings;
    private final Clock clock;

    CatalogueAdmin(AdminRepository repo, CatalogRepository catalog, AvailabilityService availability, Outbox outbox,
                   AuditLog audit, TransactionalOperator tx, BookingSettings settings, Clock clock) {
        this.repo = repo;
        this.catalog = catalog;
        this.availability = availability;
        this.outbox = outbox;
        this.audit = audit;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
    }

    /** 409 {@code already_exists}: POST of an id in use. */
    static final class AlreadyExists extends ClinicException {
        AlreadyExists(String what, String id) {
            super(HttpStatus.CONFLICT, "already_exists", "Already exists", what + " '" + id + "' already exists");
        }
    }

    // ---- locations ----

    public Mono<LocationDetails> createLocation(String actor, LocationBody body) {
        return Mono.defer(() -> {
            Violations v = new Violations().id("id", body.id());
            Map<DayOfWeek, List<Hours>> opening = checkLocation(v, body);
            v.throwIfAny();
            Instant now = now();
            return tx.transactional(repo.saveLocation(true, body.id(), body.name().trim(), settings.zone().getId(),
                                    body.postalAddress(), body.phone().trim(), body.email(), active(body.active()), now)
                            .then(repo.replaceOpeningHours(body.id(), opening))
                            .then(catalog.locationDetails(body.id()))
                            .flatMap(after -> publish(after, now)
                                    .then(audit.record(actor, "location.created", "location/" + after.id(),
                                            state(after)))
                                    .thenReturn(after)))
                    .onErrorMap(SqlStates::isUniqueViolation, e -> new AlreadyExists("Location", body.id()));
        });
    }

    public Mono<Saved<LocationDetails>> updateLocation(String actor, String id, LocationBody body) {
        return Mono.defer(() -> {
            Violations v = new Violations();
            samePathId(v, id, body.id());
            Map<DayOfWeek, List<Hours>> opening = checkLocation(v, body);
            v.throwIfAny();
            Instant now = now();
            return tx.transactional(catalog.locationDetails(id)
                    .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Location")))
                    .flatMap(before -> repo.saveLocation(false, id, body.name().trim(), before.timeZone(),
                                    body.postalAddress(), body.phone().trim(), body.email(), active(body.active()), now)
                            .then(repo.replaceOpeningHours(id, opening))
                            .then(catalog.locationDetails(id))
                            .flatMap(after -> publish(after, now)
                                    .then(stranded(repo.confirmed("location_id", id, now, now.plus(AHEAD))))
                                    .flatMap(affected -> audit.record(actor, "location.updated", "location/" + id,
                                                    withAffected(changes(state(before), state(after)), affected))
                                            .thenReturn(new Saved<>(after, affected))))));
        });
    }

    private Map<DayOfWeek, List<Hours>> checkLocation(Violations v, LocationBody b) {
        v.text("name", b.name(), 100);
        PostalAddress a = b.postalAddress();
        if (a == null) {
            v.add("postalAddress", "must not be null");
        } else {
            v.text("postalAddress.line1", a.line1(), 100).optionalText("postalAddress.line2", a.line2(), 100)
                    .text("postalAddress.town", a.town(), 60).text("postalAddress.postcode", a.postcode(), 10);
        }
        if (b.phone() == null || b.phone().isBlank()) v.add("phone", "must not be blank");
        else if (!PHONE.matcher(b.phone().trim()).matches()) v.add("phone", "must be a phone number");
        if (b.email() != null && !b.email().isBlank()
                && (b.email().length() > 200 || !EMAIL.matcher(b.email().trim()).matches())) {
            v.add("email", "must be a well-formed email address");
        }
        Map<DayOfWeek, List<Hours>> opening = new EnumMap<>(DayOfWeek.class);
        if (b.openingHours() != null) {
            b.openingHours().forEach((day, ranges) -> {
                if (day == null || ranges == null) return;
                List<Hours> ok = ranges(v, "openingHours." + day, ranges);
                if (!ok.isEmpty()) opening.put(day, ok);
            });
        }
        return opening;
    }

    /** Checks a day's ranges ({@code field[i].from/to}, overlaps name {@code field[i]}); returns them sorted. */
    private static List<Hours> ranges(Violations v, String field, List<Hours> ranges) {
        List<Hours> ok = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            Hours h = ranges.get(i);
            String f = field + "[" + i + "]";
            if (h == null) {
                v.add(f, "must not be null");
                continue;
            }
            if (h.from() == null) v.add(f + ".from", "must not be null");
            if (h.to() == null) v.add(f + ".to", "must not be null");
            if (h.from() == null || h.to() == null) continue;
            if (!h.to().isAfter(h.from())) {
                v.add(f + ".to", "must be after from");
                continue;
            }
            int clash = indexOfOverlap(ok, h);
            if (clash >= 0) v.add(f, "overlaps another range of the day");
            else ok.add(h);
        }
        ok.sort((x, y) -> x.from().compareTo(y.from()));
        return ok;
    }

    private static int indexOfOverlap(List<Hours> ranges, Hours h) {
        for (int i = 0; i < ranges.size(); i++) {
            if (ranges.get(i).overlaps(h)) return i;
        }
        return -1;
    }

    // ---- treatments ----

    public Mono<Treatment> createTreatment(String actor, TreatmentBody body) {
        return Mono.defer(() -> {
            Violations v = new Violations().id("id", body.id());
            checkTreatment(v, body);
            v.throwIfAny();
            Instant now = now();
            return tx.transactional(repo.saveTreatment(true, body, body.id(), active(body.active()), now)
                            .then(catalog.treatment(body.id()))
                            .flatMap(after -> publish(after, now)
                                    .then(audit.record(actor, "treatment.created", "treatment/" + after.id(),
                                            state(after)))
                                    .thenReturn(after)))
                    .onErrorMap(SqlStates::isUniqueViolation, e -> new AlreadyExists("Treatment", body.id()));
        });
    }

    /** A new price applies to bookings made after it: a booking keeps the price it was made at. */
    public Mono<Saved<Treatment>> updateTreatment(String actor, String id, TreatmentBody body) {
        return Mono.defer(() -> {
            Violations v = new Violations();
            samePathId(v, id, body.id());
            checkTreatment(v, body);
            v.throwIfAny();
            Instant now = now();
            return tx.transactional(catalog.treatment(id)
                    .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Treatment")))
                    .flatMap(before -> repo.saveTreatment(false, body, id, active(body.active()), now)
                            .then(catalog.treatment(id))
                            .flatMap(after -> publish(after, now)
                                    .then(stranded(repo.confirmed("treatment_id", id, now, now.plus(AHEAD))))
                                    .flatMap(affected -> audit.record(actor, "treatment.updated", "treatment/" + id,
                                                    withAffected(changes(state(before), state(after)), affected))
                                            .thenReturn(new Saved<>(after, affected))))));
        });
    }

    private static void checkTreatment(Violations v, TreatmentBody b) {
        v.text("name", b.name(), 100);
        if (b.category() == null || !Violations.ID.matcher(b.category()).matches()) {
            v.add("category", "must be 2 to 40 lowercase letters, digits or hyphens");
        }
        if (b.durationMinutes() == null) v.add("durationMinutes", "must not be null");
        else if (b.durationMinutes() <= 0 || b.durationMinutes() % 15 != 0 || b.durationMinutes() > 480) {
            v.add("durationMinutes", "must be a positive multiple of 15 (at most 480)");
        }
        if (b.pricePence() == null) v.add("pricePence", "must not be null");
        else if (b.pricePence() < 0) v.add("pricePence", "must be greater than or equal to 0");
        else if (b.pricePence() > 10_000_000) v.add("pricePence", "must be at most 10000000");
        v.optionalText("description", b.description(), 2000);
    }

    // ---- therapists ----

    public Mono<Therapist> createTherapist(String actor, TherapistBody body) {
        return catalog.treatments(false).map(Treatment::id).collect(Collectors.toSet()).flatMap(known -> {
            Violations v = new Violations().id("id", body.id());
            List<String> treatments = checkTherapist(v, body, known);
            v.throwIfAny();
            Instant now = now();
            return tx.transactional(repo.saveTherapist(true, body.id(), body.name().trim(), body.bio(),
                                    active(body.active()), now)
                            .then(repo.replaceTreatments(body.id(), treatments))
                            .then(catalog.therapist(body.id()))
                            .flatMap(after -> publish(after, now)
                                    .then(audit.record(actor, "therapist.created", "therapist/" + after.id(),
                                            state(after)))
                                    .thenReturn(after)))
                    .onErrorMap(SqlStates::isUniqueViolation, e -> new AlreadyExists("Therapist", body.id()));
        });
    }

    public Mono<Saved<Therapist>> updateTherapist(String actor, String id, TherapistBody body) {
        return catalog.treatments(false).map(Treatment::id).collect(Collectors.toSet()).flatMap(known -> {
            Violations v = new Violations();
            samePathId(v, id, body.id());
            List<String> treatments = checkTherapist(v, body, known);
            v.throwIfAny();
            Instant now = now();
            return tx.transactional(catalog.therapist(id)
                    .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Therapist")))
                    .flatMap(before -> repo.saveTherapist(false, id, body.name().trim(), body.bio(),
                                    active(body.active()), now)
                            .then(repo.replaceTreatments(id, treatments))
                            .then(catalog.therapist(id))
                            .flatMap(after -> publish(after, now)
                                    .then(stranded(repo.confirmed("therapist_id", id, now, now.plus(AHEAD))))
                                    .flatMap(affected -> audit.record(actor, "therapist.updated", "therapist/" + id,
                                                    withAffected(changes(state(before), state(after)), affected))
                                            .thenReturn(new Saved<>(after, affected))))));
        });
    }

    private static List<String> checkTherapist(Violations v, TherapistBody b, Set<String> knownTreatments) {
        v.text("name", b.name(), 100).optionalText("bio", b.bio(), 2000);
        List<String> ids = b.treatmentIds() == null ? List.of() : b.treatmentIds();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null || !knownTreatments.contains(ids.get(i))) {
                v.add("treatmentIds[" + i + "]", "unknown treatment");
            }
        }
        return ids;
    }

    public Mono<TherapistDetails> therapistDetails(String id) {
        return catalog.therapist(id)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Therapist")))
                .flatMap(t -> repo.currentAndComingPatterns(id, today())
                        .zipWith(repo.timeOffEndingAfter(id, now()).collectList(),
                                (patterns, timeOff) -> new TherapistDetails(t.id(), t.name(), t.bio(),
                                        t.treatmentIds(), t.locationIds(), t.active(), patterns, timeOff)));
    }

    // ---- weekly pattern ----

    /**
     * Replaces the therapist's weekly pattern from {@code effectiveFrom} (default today): days
     * before it keep the version they had. Every entry must lie inside its location's opening
     * hours that weekday, and every break inside its entry.
     */
    public Mono<Saved<PatternVersion>> replaceWorkingHours(String actor, String therapistId, WorkingHoursBody body) {
        return catalog.therapist(therapistId)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Therapist")))
                .zipWith(catalog.locations(false).collectMap(LocationDetails::id))
                .flatMap(found -> {
                    Therapist before = found.getT1();
                    LocalDate today = today();
                    LocalDate from = body.effectiveFrom() == null ? today : body.effectiveFrom();
                    Violations v = new Violations();
                    if (from.isBefore(today)) v.add("effectiveFrom", "must be today or later");
                    List<Day> days = checkDays(v, body.days(), found.getT2());
                    v.throwIfAny();
                    Instant now = now();
                    Instant start = from.atStartOfDay(settings.zone()).toInstant();
                    Instant since = start.isAfter(now) ? start : now;
                    PatternVersion version = new PatternVersion(from, days);
                    return tx.transactional(repo.replacePattern(therapistId, from, days, now)
                            .then(catalog.therapist(therapistId))
                            .flatMap(after -> publish(after, now)
                                    .then(stranded(repo.confirmed("therapist_id", therapistId, since,
                                            since.plus(AHEAD))))
                                    .flatMap(affected -> audit.record(actor, "therapist.working_hours_replaced",
                                                    "therapist/" + therapistId,
                                                    withAffected(patternDetails(version, before, after), affected))
                                            .thenReturn(new Saved<>(version, affected)))));
                });
    }

    private static List<Day> checkDays(Violations v, List<Day> days, Map<String, LocationDetails> locations) {
        if (days == null) {
            v.add("days", "must not be null");
            return List.of();
        }
        List<Day> out = new ArrayList<>();
        Map<DayOfWeek, List<Integer>> byDay = new EnumMap<>(DayOfWeek.class);
        for (int i = 0; i < days.size(); i++) {
            Day d = days.get(i);
            String f = "days[" + i + "]";
            if (d == null) {
                v.add(f, "must not be null");
                continue;
            }
            boolean ok = true;
            if (d.dayOfWeek() == null) {
                v.add(f + ".dayOfWeek", "must not be null");
                ok = false;
            }
            LocationDetails location = d.locationId() == null ? null : locations.get(d.locationId());
            if (location == null) {
                v.add(f + ".locationId", "unknown location");
                ok = false;
            } else if (!location.active()) {
                v.add(f + ".locationId", "location is not active");
                ok = false;
            }
            if (d.from() == null) v.add(f + ".from", "must not be null");
            if (d.to() == null) v.add(f + ".to", "must not be null");
            if (d.from() == null || d.to() == null) continue;
            if (!d.to().isAfter(d.from())) {
                v.add(f + ".to", "must be after from");
                continue;
            }
            Hours hours = new Hours(d.from(), d.to());
            if (!ok) continue;
            List<Hours> opening = location.openingHours().getOrDefault(d.dayOfWeek(), List.of());
            if (opening.stream().noneMatch(o -> o.contains(hours))) {
                v.add(f, "outside the opening hours of " + location.name() + " on " + d.dayOfWeek()
                        + (opening.isEmpty() ? " (closed)" : " (" + describe(opening) + ")"));
                continue;
            }
            List<Integer> sameDay = byDay.computeIfAbsent(d.dayOfWeek(), k -> new ArrayList<>());
            Integer clash = sameDay.stream()
                    .filter(j -> new Hours(days.get(j).from(), days.get(j).to()).overlaps(hours)).findFirst()
                    .orElse(null);
            if (clash != null) {
                v.add(f, "overlaps days[" + clash + "] on " + d.dayOfWeek());
                continue;
            }
            List<Hours> breaks = d.breaks() == null ? List.of() : d.breaks();
            List<Hours> okBreaks = ranges(v, f + ".breaks", breaks);
            for (int b = 0; b < breaks.size(); b++) {
                Hours br = breaks.get(b);
                if (br != null && br.from() != null && br.to() != null && br.to().isAfter(br.from())
                        && !hours.contains(br)) {
                    v.add(f + ".breaks[" + b + "]", "must be inside the day's hours " + describe(List.of(hours)));
                }
            }
            sameDay.add(i);
            out.add(new Day(d.dayOfWeek(), d.locationId(), d.from(), d.to(), okBreaks));
        }
        return out;
    }

    private static String describe(List<Hours> ranges) {
        return ranges.stream().map(h -> h.from() + "-" + h.to()).collect(Collectors.joining(", "));
    }

    private static Map<String, Object> patternDetails(PatternVersion version, Therapist before, Therapist after) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("effectiveFrom", version.effectiveFrom().toString());
        d.put("days", version.days().stream().map(day -> day.dayOfWeek() + " " + day.locationId() + " " + day.from()
                + "-" + day.to() + (day.breaks().isEmpty() ? "" : " breaks " + describe(day.breaks()))).toList());
        if (!before.locationIds().equals(after.locationIds())) {
            d.put("locationIds", change(before.locationIds(), after.locationIds()));
        }
        return d;
    }

    // ---- time off ----

    public Mono<TimeOffSaved> addTimeOff(String actor, String therapistId, TimeOffBody body) {
        return catalog.therapist(therapistId)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Therapist")))
                .flatMap(t -> {
                    Violations v = new Violations();
                    if (body.from() == null) v.add("from", "must not be null");
                    if (body.to() == null) v.add("to", "must not be null");
                    if (body.from() != null && body.to() != null) {
                        if (!body.to().isAfter(body.from())) v.add("to", "must be after from");
                        else if (Duration.between(body.from(), body.to()).toDays() > MAX_TIME_OFF_DAYS) {
                            v.add("to", "at most " + MAX_TIME_OFF_DAYS + " days after from");
                        }
                    }
                    v.optionalText("reason", body.reason(), 200);
                    v.throwIfAny();
                    Instant from = body.from().toInstant().truncatedTo(ChronoUnit.MICROS);
                    Instant to = body.to().toInstant().truncatedTo(ChronoUnit.MICROS);
                    String reason = body.reason() == null || body.reason().isBlank() ? "Time off" : body.reason().trim();
                    Instant now = now();
                    return tx.transactional(repo.insertTimeOff(therapistId, from, to, reason)
                            .flatMap(id -> stranded(repo.confirmedOverlapping(therapistId, from, to, now))
                                    .flatMap(affected -> {
                                        Map<String, Object> d = new LinkedHashMap<>();
                                        d.put("id", id);
                                        d.put("from", from.toString());
                                        d.put("to", to.toString());
                                        return audit.record(actor, "therapist.time_off_added",
                                                        "therapist/" + therapistId, withAffected(d, affected))
                                                .thenReturn(new TimeOffSaved(id, therapistId, from, to, reason,
                                                        affected));
                                    })));
                });
    }

    public Mono<Void> removeTimeOff(String actor, String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Mono.error(ClinicException.notFound("Time off"));
        }
        return tx.transactional(repo.deleteTimeOff(key)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Time off")))
                .flatMap(t -> audit.record(actor, "therapist.time_off_removed", "therapist/" + t.therapistId(),
                        Map.of("id", t.id(), "from", t.from().toString(), "to", t.to().toString()))));
    }

    // ---- closures ----

    public Mono<ClosureSaved> addClosure(String actor, ClosureBody body) {
        return Mono.defer(() -> {
            Violations v = new Violations();
            if (body.date() == null) v.add("date", "must not be null");
            v.text("reason", body.reason(), 200);
            String loc = body.locationId() == null || body.locationId().isBlank() ? null : body.locationId();
            Mono<Boolean> locationKnown = loc == null ? Mono.just(true) : catalog.location(loc).hasElement();
            return locationKnown.flatMap(known -> {
                if (!known) v.add("locationId", "unknown location");
                v.throwIfAny();
                String id = "closure-" + body.date() + "-" + UUID.randomUUID().toString().substring(0, 8);
                return addClosure(actor, id, body.date(), loc, body.reason().trim())
                        .map(affected -> new ClosureSaved(id, body.date(), loc, body.reason().trim(), affected));
            });
        });
    }

    /**
     * Adds a closure unless one of that id exists, or existed and was withdrawn (so bank holidays
     * applied at every start never come back once an admin removed one). Empty when it existed.
     */
    Mono<List<AffectedBooking>> addClosure(String actor, String id, LocalDate date, String locationId, String reason) {
        Instant now = now();
        ZoneId zone = settings.zone();
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant from = dayStart.isAfter(now) ? dayStart : now;
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        return tx.transactional(repo.insertClosure(id, date, locationId, reason, now)
                .filter(rows -> rows > 0)
                .flatMap(rows -> outbox.append(CatalogueTopics.TOPIC, id, CatalogueTopics.CLOSURE_CHANGED,
                                new ClosureChanged(id, date, locationId, reason, false, now))
                        .then(stranded(to.isAfter(from) ? repo.confirmedBetween(locationId, from, to) : Flux.empty()))
                        .flatMap(affected -> {
                            Map<String, Object> d = new LinkedHashMap<>();
                            d.put("date", date.toString());
                            d.put("locationId", locationId == null ? "all" : locationId);
                            d.put("reason", reason);
                            return audit.record(actor, "closure.added", "closure/" + id, withAffected(d, affected))
                                    .thenReturn(affected);
                        })));
    }

    public Mono<Void> removeClosure(String actor, String id) {
        Instant now = now();
        return tx.transactional(repo.removeClosure(id, now)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Closure")))
                .flatMap(c -> outbox.append(CatalogueTopics.TOPIC, id, CatalogueTopics.CLOSURE_CHANGED,
                                new ClosureChanged(id, c.date(), c.locationId(), c.reason(), true, now))
                        .then(audit.record(actor, "closure.removed", "closure/" + id,
                                Map.of("date", c.date().toString(),
                                        "locationId", c.locationId() == null ? "all" : c.locationId())))));
    }

    // ---- shared ----

    /** The bookings among {@code candidates} that the rules (as now written, in this transaction) no longer allow. */
    private Mono<List<AffectedBooking>> stranded(Flux<Candidate> candidates) {
        return candidates.collectList().flatMap(list -> {
            if (list.isEmpty()) return Mono.just(List.<AffectedBooking>of());
            return availability.notFitting(list.stream().map(c -> new Appointment(c.id(), c.locationId(),
                            c.treatmentId(), c.therapistId(), c.startsAt(), c.endsAt())).toList())
                    .map(ids -> list.stream().filter(c -> ids.contains(c.id()))
                            .map(c -> new AffectedBooking(c.reference(), c.startsAt())).toList());
        });
    }

    Mono<Void> publish(LocationDetails l, Instant at) {
        Map<DayOfWeek, List<TimeRange>> hours = new EnumMap<>(DayOfWeek.class);
        l.openingHours().forEach((day, ranges) -> hours.put(day,
                ranges.stream().map(h -> new TimeRange(h.from(), h.to())).toList()));
        PostalAddress a = l.postalAddress();
        return outbox.append(CatalogueTopics.TOPIC, l.id(), CatalogueTopics.LOCATION_CHANGED,
                new LocationChanged(l.id(), l.name(), l.timeZone(), l.address(),
                        new clinic.contracts.catalogue.PostalAddress(a.line1(), a.line2(), a.town(), a.postcode()),
                        l.phone(), l.email(), hours, l.active(), at)).then();
    }

    Mono<Void> publish(Treatment t, Instant at) {
        return outbox.append(CatalogueTopics.TOPIC, t.id(), CatalogueTopics.TREATMENT_CHANGED,
                new TreatmentChanged(t.id(), t.name(), t.category(), t.durationMinutes(), t.pricePence(), t.currency(),
                        t.description(), t.active(), at)).then();
    }

    Mono<Void> publish(Therapist t, Instant at) {
        return outbox.append(CatalogueTopics.TOPIC, t.id(), CatalogueTopics.THERAPIST_CHANGED,
                new TherapistChanged(t.id(), t.name(), t.treatmentIds(), t.locationIds(), t.active(), at)).then();
    }

    /** Publishes the whole current catalogue (a copy elsewhere rebuilds from it); inside the caller's transaction. */
    Mono<Void> publishAll() {
        Instant now = now();
        return catalog.locations(false).concatMap(l -> publish(l, now))
                .thenMany(catalog.treatments(false).concatMap(t -> publish(t, now)))
                .thenMany(catalog.therapists(null, false).concatMap(t -> publish(t, now)))
                .thenMany(catalog.closures(LocalDate.of(2000, 1, 1), LocalDate.of(2999, 12, 31))
                        .concatMap(c -> outbox.append(CatalogueTopics.TOPIC, c.id(), CatalogueTopics.CLOSURE_CHANGED,
                                new ClosureChanged(c.id(), c.date(), c.locationId(), c.reason(), false, now))))
                .then();
    }

    private static Map<String, Object> state(LocationDetails l) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", l.name());
        s.put("address", l.address());
        s.put("phone", l.phone());
        s.put("email", l.email());
        s.put("openingHours", l.openingHours().entrySet().stream()
                .map(e -> e.getKey() + " " + describe(e.getValue())).toList());
        s.put("active", l.active());
        return s;
    }

    private static Map<String, Object> state(Treatment t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", t.name());
        s.put("category", t.category());
        s.put("durationMinutes", t.durationMinutes());
        s.put("pricePence", t.pricePence());
        s.put("description", t.description());
        s.put("active", t.active());
        return s;
    }

    private static Map<String, Object> state(Therapist t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", t.name());
        s.put("bio", t.bio());
        s.put("treatmentIds", t.treatmentIds());
        s.put("active", t.active());
        return s;
    }

    /** {field: {before, after}} for each field that changed. */
    static Map<String, Object> changes(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> out = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) out.put(k, change(before.get(k), v));
        });
        return out;
    }

    private static Map<String, Object> change(Object before, Object after) {
        Map<String, Object> c = new HashMap<>();
        c.put("before", before);
        c.put("after", after);
        return c;
    }

    private static Map<String, Object> withAffected(Map<String, Object> details, List<AffectedBooking> affected) {
        if (affected.isEmpty()) return details;
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("affectedBookings", affected.stream().map(AffectedBooking::reference).toList());
        return d;
    }

    private static void samePathId(Violations v, String pathId, String bodyId) {
        if (bodyId != null && !bodyId.equals(pathId)) v.add("id", "must match the id in the path");
    }

    private static boolean active(Boolean active) {
        return active == null || active;
    }


    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(settings.zone()));
    }
}
