package clinic.booking.booking;

import clinic.booking.availability.AvailabilityService;
import clinic.booking.availability.SlotGenerator;
import clinic.booking.booking.BookingCommands.Create;
import clinic.booking.booking.BookingCommands.Created;
import clinic.booking.booking.BookingCommands.Reschedule;
import clinic.booking.booking.BookingCommands.View;
import clinic.booking.booking.Errors.BookingNotConfirmed;
import clinic.booking.booking.Errors.TooLateToCancel;
import clinic.booking.catalog.CatalogRepository;
import clinic.booking.catalog.CatalogRepository.Selection;
import clinic.booking.catalog.Location;
import clinic.booking.catalog.Treatment;
import clinic.booking.config.BookingSettings;
import clinic.booking.offers.OfferClient;
import clinic.booking.offers.Reservation;
import clinic.booking.offers.ReservationRequest;
import clinic.contracts.booking.BookingTopics;
import clinic.contracts.booking.Customer;
import clinic.booking.booking.BookingCommands.Attendance;
import clinic.booking.booking.Errors.BookingChanged;
import clinic.booking.booking.Errors.NotStarted;
import clinic.contracts.booking.BookingAttended;
import clinic.contracts.booking.BookingNoShow;
import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import clinic.kit.data.SqlStates;
import clinic.kit.web.ClinicException;
import clinic.kit.web.IdempotencyKeys;
import clinic.kit.web.PhoneNumbers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Booking use cases. Every state change and its event commit in one transaction; the exclusion
 * constraint decides races for a therapist's time, and its violation (SQLSTATE 23P01) means the
 * slot was just taken.
 */
@Service
public class BookingService {
    /** Concurrent inserts checked by the same gist exclusion index can deadlock; the loser may simply retry. */
    private static final reactor.util.retry.Retry ON_DEADLOCK = reactor.util.retry.Retry
            .backoff(3, Duration.ofMillis(10)).jitter(0.5)
            .filter(e -> SqlStates.violates(e, SqlStates.DEADLOCK, null))
            .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    private static final int REFERENCE_ATTEMPTS = 5;

    private final BookingRepository repo;
    private final IdempotencyStore idempotency;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BookingService.class);
    private final CatalogRepository catalog;
    private final AvailabilityService availability;
    private final OfferClient offers;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final BookingSettings settings;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final BookingConflicts conflicts;
    private final AuditLog audit;
    private final BookingChanges changes;

    BookingService(BookingRepository repo, IdempotencyStore idempotency, CatalogRepository catalog,
                   AvailabilityService availability, OfferClient offers, Outbox outbox, TransactionalOperator tx,
                   BookingSettings settings, Clock clock, ObjectMapper mapper, BookingConflicts conflicts,
                   AuditLog audit, BookingChanges changes) {
        this.conflicts = conflicts;
        this.audit = audit;
        this.changes = changes;
        this.repo = repo;
        this.idempotency = idempotency;
        this.catalog = catalog;
        this.availability = availability;
        this.offers = offers;
        this.outbox = outbox;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
        this.mapper = mapper;
    }

    // ---- create ----

    public Mono<Created> create(Create cmd) {
        String key = cmd.idempotencyKey();
        if (key == null) return Mono.defer(() -> make(cmd, null));
        String requestHash = IdempotencyKeys.requestHash(cmd.canonicalRequest());
        return idempotency.find(key)
                .map(stored -> replay(stored, requestHash))
                .switchIfEmpty(Mono.defer(() -> make(cmd, requestHash)
                        // The same key is being used concurrently: the other request won; answer as it did.
                        .onErrorResume(e -> SqlStates.violates(e, SqlStates.UNIQUE_VIOLATION, "idempotency_key"),
                                e -> idempotency.find(key).map(stored -> replay(stored, requestHash)))));
    }

    private Created replay(IdempotencyStore.Stored stored, String requestHash) {
        if (!stored.requestHash().equals(requestHash)) throw new IdempotencyKeys.Reused();
        try {
            return mapper.readValue(stored.body(), Created.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything fixed before the first insert attempt. */
    private record Draft(UUID id, Location location, Treatment treatment, Map<String, String> therapistNames,
                         Instant startsAt, Customer customer, String notes, Optional<Reservation> reservation,
                         String manageToken, String idempotencyKey, String requestHash, String bookedBy,
                         String callbackId) {}

    private Mono<Created> make(Create cmd, String requestHash) {
        String name = cmd.customer().name().trim();
        if (name.length() < 2) throw ClinicException.invalid("customer.name", "size must be between 2 and 100");
        Customer customer = new Customer(name, cmd.customer().email().trim(),
                PhoneNumbers.required(cmd.customer().phone(), "customer.phone"));
        Instant startsAt = cmd.startsAt();
        if (cmd.byStaff()) notInThePast(startsAt);
        return resolve(cmd.locationId(), cmd.treatmentId(), cmd.therapistId()).flatMap(sel -> {
            Location location = sel.location();
            Treatment treatment = sel.treatment();
            checkGrid(location, startsAt);
            return candidates(sel, cmd.therapistId(), null)
                    .flatMap(ids -> freeAt(location, treatment, startsAt, ids, null, cmd.byStaff()))
                    .flatMap(free -> {
                        if (free.isEmpty()) return Mono.error(conflicts.create(false));
                        UUID id = UUID.randomUUID();
                        String reference = Secrets.newReference();
                        return reserve(id, reference, cmd.promoCode(), customer, location, treatment, startsAt)
                                .flatMap(reservation -> {
                                    Draft d = new Draft(id, location, treatment, sel.offering(), startsAt, customer,
                                            blankToNull(cmd.notes()),
                                            reservation, Secrets.newManageToken(), cmd.idempotencyKey(), requestHash,
                                            cmd.bookedBy(), cmd.callbackId());
                                    return insertFirstFree(d, free, 0, reference, 1)
                                            .onErrorResume(e -> reservation.isPresent()
                                                    ? offers.release(id).then(Mono.error(e)) : Mono.error(e));
                                });
                    });
        });
    }

    private Mono<Optional<Reservation>> reserve(UUID id, String reference, String promoCode, Customer customer,
                                                Location location, Treatment treatment, Instant startsAt) {
        if (promoCode == null || promoCode.isBlank()) return Mono.just(Optional.empty());
        return offers.reserve(new ReservationRequest(id, reference, promoCode.trim(), customer.email(), treatment.id(),
                        treatment.category(), location.id(), startsAt, treatment.pricePence()))
                .map(Optional::of);
    }

    /** Tries the free therapists in order; one taken in the meantime (23P01) passes to the next. */
    private Mono<Created> insertFirstFree(Draft d, List<String> free, int index, String reference, int referenceAttempt) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Treatment t = d.treatment();
        Instant endsAt = d.startsAt().plus(t.durationMinutes(), ChronoUnit.MINUTES);
        long price = t.pricePence();
        long discount = d.reservation().map(r -> Math.max(0, Math.min(r.discountPence(), price))).orElse(0L);
        String code = d.reservation().map(Reservation::code).orElse(null);
        String offerId = d.reservation().map(Reservation::offerId).orElse(null);
        Booking b = new Booking(d.id(), reference, Booking.Status.CONFIRMED, d.location().id(), t.id(),
                free.get(index), d.startsAt(), endsAt, endsAt.plus(settings.buffer()), d.customer(), d.notes(),
                price, discount, price - discount, t.currency(), code, offerId, Secrets.sha256(d.manageToken()),
                now, now, null, null, d.bookedBy(), null, null, null);
        Created created = new Created(b.reference(), b.status().name(), b.locationId(), b.treatmentId(),
                b.therapistId(), b.startsAt(), b.endsAt(), b.pricePence(), b.discountPence(), b.totalPence(),
                b.currency(), b.promoCode(), d.manageToken(), b.customer());
        Mono<Void> remember = d.idempotencyKey() == null ? Mono.empty()
                : idempotency.save(d.idempotencyKey(), d.requestHash(), 201, location(reference), json(created),
                        d.id(), now);
        Mono<Created> attempt = tx.transactional(repo.lockTherapist(b.therapistId())
                .then(remember)
                .then(repo.insert(b))
                // The names come from the catalogue read before the transaction: one statement less inside it.
                // No customer data and no manage token on the topic (docs/adr/0007). callbackId: none
                // from the public form; the staff desk's bookings carry theirs.
                .then(outbox.append(BookingTopics.TOPIC, b.reference(), BookingTopics.CONFIRMED_V2,
                        b.confirmed(new Booking.Labels(d.location().name(), t.name(), t.category(),
                                d.therapistNames().get(b.therapistId())), d.callbackId())))
                .then(d.bookedBy() == null ? Mono.<Void>empty()
                        : audit.record(d.bookedBy(), "booking.created", target(b.reference()), details(
                                "locationId", b.locationId(), "treatmentId", b.treatmentId(),
                                "therapistId", b.therapistId(), "startsAt", b.startsAt().toString(),
                                "promoCode", b.promoCode(), "callbackId", d.callbackId())))
                .then(changes.record("booking.confirmed", b))
                .thenReturn(created))
                .doOnNext(c -> log.info("booking {} confirmed: {} {} with {} at {}", b.reference(), b.locationId(),
                        b.treatmentId(), b.therapistId(), b.startsAt()));
        return attempt.retryWhen(ON_DEADLOCK).onErrorResume(e -> {
            if (SqlStates.violates(e, SqlStates.EXCLUSION_VIOLATION, null)) {
                return index + 1 < free.size()
                        ? insertFirstFree(d, free, index + 1, reference, referenceAttempt)
                        : Mono.error(conflicts.create(true));
            }
            if (SqlStates.violates(e, SqlStates.UNIQUE_VIOLATION, "booking_reference") && referenceAttempt < REFERENCE_ATTEMPTS) {
                return insertFirstFree(d, free, index, Secrets.newReference(), referenceAttempt + 1);
            }
            return Mono.error(e);
        });
    }

    public static String location(String reference) {
        return "/api/bookings/" + reference;
    }

    // ---- read, cancel, reschedule ----

    /** The booking if the token is its manage token; otherwise 404, never revealing that it exists. */
    public Mono<View> get(String reference, String manageToken) {
        return owned(reference, manageToken).map(View::of);
    }

    public Mono<View> cancelByCustomer(String reference, String manageToken) {
        return owned(reference, manageToken).flatMap(b -> {
            if (b.status() == Booking.Status.CANCELLED) return Mono.just(View.of(b));
            if (Duration.between(clock.instant(), b.startsAt()).compareTo(settings.cancellationCutoff()) < 0) {
                return Mono.error(new TooLateToCancel(settings.cancellationCutoff()));
            }
            return cancel(b, "CUSTOMER");
        });
    }

    /**
     * Staff cancel on a customer's behalf: no 24 h rule; the booking records the staff user and
     * their reason (the event keeps {@code cancelledBy: STAFF}, as its consumers know it).
     */
    public Mono<View> cancelByStaff(String reference, String user, String reason) {
        return repo.byReference(reference)
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Booking")))
                .flatMap(b -> b.status() == Booking.Status.CANCELLED ? Mono.just(View.of(b, null))
                        : cancel(b, "STAFF", user, blankToNull(reason)));
    }

    private Mono<View> cancel(Booking b, String by) {
        return cancel(b, by, null, null);
    }

    private Mono<View> cancel(Booking b, String by, String user, String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Mono<View> change = repo.cancel(b.id(), by, user, reason, now)
                .flatMap(c -> repo.labels(c.locationId(), c.treatmentId(), c.therapistId())
                        .flatMap(l -> outbox.append(BookingTopics.TOPIC, c.reference(), BookingTopics.CANCELLED_V2,
                                c.cancelled(l)))
                        .then(user == null ? Mono.<Void>empty()
                                : audit.record(user, "booking.cancelled", target(c.reference()), details(
                                        "locationId", c.locationId(), "startsAt", c.startsAt().toString(),
                                        "reasonLength", reason == null ? 0 : reason.length())))
                        .then(changes.record("booking.cancelled", c))
                        .thenReturn(user == null ? View.of(c) : View.of(c, null)));
        // Nothing updated: a concurrent cancel got there first and published the event.
        return tx.transactional(change)
                .doOnNext(v -> log.info("booking {} cancelled by {}", b.reference(), by))
                .switchIfEmpty(Mono.defer(() -> repo.byReference(b.reference())
                        .map(c -> user == null ? View.of(c) : View.of(c, null))));
    }

    public Mono<View> reschedule(String reference, String manageToken, Reschedule cmd) {
        return owned(reference, manageToken).flatMap(b -> reschedule(b, cmd, null));
    }

    /** Staff move on a customer's behalf: as the customer's, minus the minimum notice (never into the past). */
    public Mono<View> rescheduleByStaff(String reference, String user, Reschedule cmd) {
        return Mono.defer(() -> {
            notInThePast(cmd.startsAt());
            return repo.byReference(reference).switchIfEmpty(Mono.error(() -> ClinicException.notFound("Booking")))
                    .flatMap(b -> reschedule(b, cmd, user));
        });
    }

    private Mono<View> reschedule(Booking b, Reschedule cmd, String staffUser) {
        if (b.status() != Booking.Status.CONFIRMED) return Mono.error(new BookingNotConfirmed());
        return resolve(b.locationId(), b.treatmentId(), cmd.therapistId()).flatMap(lt -> {
            checkGrid(lt.location(), cmd.startsAt());
            return promoStillHolds(b, cmd.startsAt())
                    .then(candidates(lt, cmd.therapistId(), b.therapistId()))
                    .flatMap(ids -> freeAt(lt.location(), lt.treatment(), cmd.startsAt(), ids, b.id(),
                            staffUser != null))
                    .flatMap(free -> free.isEmpty() ? Mono.error(conflicts.reschedule(false))
                            : moveFirstFree(b, lt.treatment(), cmd.startsAt(), free, 0, staffUser));
        });
    }

    /**
     * A booking made with a promo code keeps its discount only if the new time is inside the
     * offer's appointment window: a move outside it is refused (422 {@code promo_code_expired},
     * with the window, from offer-service) rather than quietly keeping the discount or quietly
     * dropping it. The customer can keep the time they have, pick one inside the window, or
     * cancel and book the other time without the code. Checked before anything is written; staff
     * moves are held to it too.
     */
    private Mono<Void> promoStillHolds(Booking b, Instant startsAt) {
        if (b.promoCode() == null || b.discountPence() == 0 || startsAt.equals(b.startsAt())) return Mono.empty();
        return offers.recheck(b.id(), startsAt);
    }

    private Mono<View> moveFirstFree(Booking b, Treatment t, Instant startsAt, List<String> free, int index,
                                     String staffUser) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant endsAt = startsAt.plus(t.durationMinutes(), ChronoUnit.MINUTES);
        Mono<View> change = repo.move(b, free.get(index), startsAt, endsAt, endsAt.plus(settings.buffer()), now,
                        staffUser)
                // Nothing moved: cancelled meanwhile, or moved by someone else since we read it.
                .switchIfEmpty(Mono.defer(() -> repo.byReference(b.reference()).flatMap(current ->
                        Mono.error(current.status() != Booking.Status.CONFIRMED ? new BookingNotConfirmed()
                                : new BookingChanged()))))
                .flatMap(moved -> repo.labels(moved.locationId(), moved.treatmentId(), moved.therapistId())
                        .flatMap(l -> outbox.append(BookingTopics.TOPIC, moved.reference(), BookingTopics.RESCHEDULED_V2,
                                moved.rescheduledFrom(b, l)))
                        .then(staffUser == null ? Mono.<Void>empty()
                                : audit.record(staffUser, "booking.rescheduled", target(moved.reference()), details(
                                        "startsAt", Map.of("before", b.startsAt().toString(),
                                                "after", moved.startsAt().toString()),
                                        "therapistId", Map.of("before", b.therapistId(), "after", moved.therapistId()))))
                        .then(changes.record("booking.rescheduled", moved))
                        .thenReturn(staffUser == null ? View.of(moved) : View.of(moved, null)));
        return tx.transactional(change)
                .retryWhen(ON_DEADLOCK)
                .doOnNext(v -> log.info("booking {} rescheduled from {} to {}", b.reference(), b.startsAt(), startsAt))
                .onErrorResume(e -> SqlStates.violates(e, SqlStates.EXCLUSION_VIOLATION, null), e ->
                index + 1 < free.size() ? moveFirstFree(b, t, startsAt, free, index + 1, staffUser)
                        : Mono.error(conflicts.reschedule(true)));
    }

    // ---- attendance ----

    /**
     * Records ATTENDED or NO_SHOW once the appointment has started. Staff may correct it either way
     * (a mis-click at a busy desk must not need an admin); recording the same status again is a
     * no-op that publishes nothing. The UPDATE itself checks confirmed, started and "different from
     * now", so two staff recording at once publish at most one event per actual change, in order.
     */
    public Mono<View> recordAttendance(String reference, String user, Attendance status) {
        return repo.byReference(reference).switchIfEmpty(Mono.error(() -> ClinicException.notFound("Booking")))
                .flatMap(b -> {
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    if (b.status() != Booking.Status.CONFIRMED) return Mono.error(new BookingNotConfirmed());
                    if (b.startsAt().isAfter(now)) return Mono.error(new NotStarted());
                    if (status.name().equals(b.attendance())) return Mono.just(View.of(b, null));
                    Mono<View> change = repo.attendance(b.id(), status.name(), user, now)
                            .flatMap(a -> outbox.append(BookingTopics.TOPIC, a.reference(),
                                            status == Attendance.ATTENDED ? BookingTopics.ATTENDED : BookingTopics.NO_SHOW,
                                            status == Attendance.ATTENDED
                                                    ? new BookingAttended(a.id().toString(), a.reference(), a.locationId(),
                                                            a.treatmentId(), a.therapistId(), a.startsAt(), user, now)
                                                    : new BookingNoShow(a.id().toString(), a.reference(), a.locationId(),
                                                            a.treatmentId(), a.therapistId(), a.startsAt(), user, now))
                                    .then(audit.record(user, "booking.attendance_recorded", target(a.reference()),
                                            details("attendance", Map.of("before", String.valueOf(b.attendance()),
                                                    "after", status.name()))))
                                    .then(changes.record("booking.attendance", a))
                                    .thenReturn(View.of(a, null)));
                    return tx.transactional(change)
                            .doOnNext(v -> log.info("booking {} attendance {} recorded", reference, status))
                            // Nothing updated: cancelled or already this status by someone else just now.
                            .switchIfEmpty(Mono.defer(() -> repo.byReference(reference).flatMap(current ->
                                    current.status() != Booking.Status.CONFIRMED
                                            ? Mono.error(new BookingNotConfirmed())
                                            : Mono.just(View.of(current, null)))));
                });
    }

    // ---- staff ----

    public Mono<List<View>> day(String locationId, LocalDate date) {
        return catalog.location(locationId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("locationId", "unknown location")))
                .flatMap(l -> {
                    ZoneId zone = ZoneId.of(l.timeZone());
                    return repo.startingBetween(l.id(), date.atStartOfDay(zone).toInstant(),
                            date.plusDays(1).atStartOfDay(zone).toInstant()).collectList()
                            .flatMap(this::withAttention);
                });
    }

    /**
     * Flags the confirmed bookings still ahead that the rules no longer allow, computed now with
     * availability's own rules: withdrawing the time off or closure that stranded one clears it.
     */
    private Mono<List<View>> withAttention(List<Booking> bookings) {
        Instant now = clock.instant();
        List<AvailabilityService.Appointment> ahead = bookings.stream()
                .filter(b -> b.status() == Booking.Status.CONFIRMED && b.startsAt().isAfter(now))
                .map(b -> new AvailabilityService.Appointment(b.id(), b.locationId(), b.treatmentId(), b.therapistId(),
                        b.startsAt(), b.endsAt()))
                .toList();
        Mono<java.util.Set<UUID>> stranded = ahead.isEmpty() ? Mono.just(java.util.Set.of())
                : availability.notFitting(ahead);
        return stranded.map(ids -> bookings.stream().map(b -> View.of(b, ids.contains(b.id()))).toList());
    }

    // ---- helpers ----

    /** Staff skip the minimum notice, but a booking never starts before now. */
    private void notInThePast(Instant startsAt) {
        if (startsAt.isBefore(clock.instant())) throw ClinicException.invalid("startsAt", "must not be in the past");
    }

    private static String target(String reference) {
        return "booking/" + reference;
    }

    /** Name/value pairs in order; a null value is left out. No customer data ever goes in here. */
    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** The customer's own token, or the one minted for the confirmation mail (docs/adr/0007). */
    private Mono<Booking> owned(String reference, String manageToken) {
        return repo.byReference(reference)
                .filterWhen(b -> Secrets.tokenMatches(manageToken, b.manageTokenHash()) ? Mono.just(true)
                        : repo.mailTokenHash(b.id()).map(h -> Secrets.tokenMatches(manageToken, h))
                                .defaultIfEmpty(false))
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Booking")));
    }

    /** The catalogue for a booking in one read; unknown location or treatment are validation failures. */
    private Mono<Selection> resolve(String locationId, String treatmentId, String therapistId) {
        return catalog.knownSelection(locationId, treatmentId, blankToNull(therapistId));
    }

    private static void checkGrid(Location location, Instant startsAt) {
        if (!SlotGenerator.onGrid(startsAt, ZoneId.of(location.timeZone()), BookingSettings.GRID_MINUTES)) {
            throw ClinicException.invalid("startsAt", "must be on the " + BookingSettings.GRID_MINUTES
                    + "-minute grid of the clinic's local time");
        }
    }

    /**
     * Who may take the booking: the named therapist (if they give this treatment here), or everyone
     * who does, in a stable order with {@code preferred} first.
     */
    private Mono<List<String>> candidates(Selection sel, String therapistId, String preferred) {
        List<String> ids = sel.offeringIds();
        if (therapistId == null || therapistId.isBlank()) {
            if (preferred == null || !ids.contains(preferred)) return Mono.just(ids);
            List<String> ordered = new ArrayList<>(ids.size());
            ordered.add(preferred);
            ids.stream().filter(id -> !id.equals(preferred)).forEach(ordered::add);
            return Mono.just(ordered);
        }
        if (!sel.therapistKnown()) return Mono.error(ClinicException.invalid("therapistId", "unknown therapist"));
        return ids.contains(therapistId) ? Mono.just(List.of(therapistId))
                : Mono.error(ClinicException.invalid("therapistId", "does not give this treatment at this location"));
    }

    /** The candidates for whom availability offers exactly {@code startsAt}, in candidate order. */
    private Mono<List<String>> freeAt(Location location, Treatment treatment, Instant startsAt, List<String> ids,
                                      UUID ignore, boolean staff) {
        LocalDate date = LocalDate.ofInstant(startsAt, ZoneId.of(location.timeZone()));
        return availability.slots(location, treatment, date, ids, ignore, staff).map(slots -> ids.stream()
                .filter(id -> slots.stream().anyMatch(s -> s.therapistId().equals(id) && s.startsAt().equals(startsAt)))
                .toList());
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the response", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

}
