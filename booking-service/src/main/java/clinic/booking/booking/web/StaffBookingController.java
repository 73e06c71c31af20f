package clinic.booking.booking.web;

import clinic.booking.booking.BookingCommands.Attendance;
import clinic.booking.booking.BookingCommands.Create;
import clinic.booking.booking.BookingCommands.Created;
import clinic.booking.booking.BookingCommands.Reschedule;
import clinic.booking.booking.BookingCommands.View;
import clinic.booking.booking.BookingService;
import clinic.booking.booking.web.BookingRequests.RecordAttendance;
import clinic.booking.booking.web.BookingRequests.RescheduleBooking;
import clinic.booking.booking.web.BookingRequests.StaffCancel;
import clinic.booking.booking.web.BookingRequests.StaffCreateBooking;
import clinic.contracts.booking.Customer;
import clinic.kit.security.ClinicPrincipal;
import clinic.kit.web.ClinicException;
import clinic.kit.web.IdempotencyKeys;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Staff views and the staff desk's writes; the kit's security chain (KitSecurity) lets only STAFF or ADMIN reach
 * /api/staff/**, and each write records the signed-in user (not just the role).
 */
@RestController
class StaffBookingController {

    private final BookingService bookings;
    private final ObjectMapper mapper;

    StaffBookingController(BookingService bookings, ObjectMapper mapper) {
        this.bookings = bookings;
        this.mapper = mapper;
    }

    @GetMapping("/api/staff/bookings")
    Mono<List<View>> day(@RequestParam("locationId") String locationId,
                         @RequestParam("date") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        return bookings.day(locationId, date);
    }

    /**
     * Book for a caller. Idempotency-Key as for public bookings, in a key space of its own (a staff
     * key never replays a customer's booking).
     */
    @PostMapping("/api/staff/bookings")
    Mono<ResponseEntity<Created>> create(@Valid @RequestBody StaffCreateBooking body,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         ServerWebExchange exchange) {
        try {
            IdempotencyKeys.checked(key);
        } catch (ClinicException e) {
            return Mono.error(e);
        }
        return user(exchange).flatMap(user -> {
            Create cmd = new Create(body.locationId(), body.treatmentId(), blankToNull(body.therapistId()),
                    body.startsAt().toInstant(),
                    new Customer(body.customer().name(), body.customer().email(), body.customer().phone()),
                    blankToNull(body.promoCode()), body.notes(), key == null ? null : "staff:" + key, canonical(body),
                    user, body.callbackId() == null ? null : body.callbackId().toLowerCase(Locale.ROOT));
            return bookings.create(cmd).map(created -> ResponseEntity
                    .created(URI.create(BookingService.location(created.reference())))
                    .body(created));
        });
    }

    @PostMapping("/api/staff/bookings/{reference}/reschedule")
    Mono<View> reschedule(@PathVariable String reference, @Valid @RequestBody RescheduleBooking body,
                          ServerWebExchange exchange) {
        return user(exchange).flatMap(user -> bookings.rescheduleByStaff(reference, user,
                new Reschedule(body.startsAt().toInstant(), blankToNull(body.therapistId()))));
    }

    /** The body ({@code {"reason"?}}) is optional: the board's older cancel button sends none. */
    @PostMapping("/api/staff/bookings/{reference}/cancel")
    Mono<View> cancel(@PathVariable String reference, @Valid @RequestBody(required = false) StaffCancel body,
                      ServerWebExchange exchange) {
        return user(exchange).flatMap(user -> bookings.cancelByStaff(reference, user,
                body == null ? null : body.reason()));
    }

    @PostMapping("/api/staff/bookings/{reference}/attendance")
    Mono<View> attendance(@PathVariable String reference, @Valid @RequestBody RecordAttendance body,
                          ServerWebExchange exchange) {
        return user(exchange).flatMap(user -> bookings.recordAttendance(reference, user,
                Attendance.valueOf(body.status())));
    }

    private static Mono<String> user(ServerWebExchange exchange) {
        return ClinicPrincipal.of(exchange).map(ClinicPrincipal::username)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("staff route reached without a principal")));
    }

    /** The request as parsed, re-serialised, so the same booking with other whitespace or offsets is the same body. */
    private byte[] canonical(StaffCreateBooking body) {
        try {
            return mapper.writeValueAsBytes(new StaffCreateBooking(body.locationId(), body.treatmentId(),
                    body.therapistId(), body.startsAt().toInstant().atOffset(java.time.ZoneOffset.UTC), body.customer(),
                    body.promoCode(), body.notes(), body.callbackId()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the request", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
