package clinic.booking.booking.web;

import clinic.booking.booking.BookingCommands.Create;
import clinic.booking.booking.BookingCommands.Created;
import clinic.booking.booking.BookingCommands.Reschedule;
import clinic.booking.booking.BookingCommands.View;
import clinic.booking.booking.BookingService;
import clinic.booking.booking.web.BookingRequests.CreateBooking;
import clinic.booking.booking.web.BookingRequests.RescheduleBooking;
import clinic.contracts.booking.Customer;
import clinic.kit.web.ClinicException;
import clinic.kit.web.IdempotencyKeys;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class BookingController {
    static final String MANAGE_TOKEN = "X-Manage-Token";

    private final BookingService bookings;
    private final ObjectMapper mapper;
    private final CreationLimit limit;

    BookingController(BookingService bookings, ObjectMapper mapper, CreationLimit limit) {
        this.bookings = bookings;
        this.mapper = mapper;
        this.limit = limit;
    }

    @PostMapping("/api/bookings")
    Mono<ResponseEntity<Created>> create(@Valid @RequestBody CreateBooking body,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        try {
            IdempotencyKeys.checked(key);
        } catch (ClinicException e) {
            return Mono.error(e);
        }
        Create cmd = new Create(body.locationId(), body.treatmentId(), blankToNull(body.therapistId()),
                body.startsAt().toInstant(),
                new Customer(body.customer().name(), body.customer().email(), body.customer().phone()),
                blankToNull(body.promoCode()), body.notes(), key, canonical(body));
        return limit.guard(bookings.create(cmd)).map(created -> ResponseEntity
                .created(URI.create(BookingService.location(created.reference())))
                .body(created));
    }

    @GetMapping("/api/bookings/{reference}")
    Mono<View> get(@PathVariable String reference, @RequestHeader(name = MANAGE_TOKEN, required = false) String token) {
        return bookings.get(reference, token);
    }

    @PostMapping("/api/bookings/{reference}/cancel")
    Mono<View> cancel(@PathVariable String reference,
                      @RequestHeader(name = MANAGE_TOKEN, required = false) String token) {
        return bookings.cancelByCustomer(reference, token);
    }

    @PostMapping("/api/bookings/{reference}/reschedule")
    Mono<View> reschedule(@PathVariable String reference,
                          @RequestHeader(name = MANAGE_TOKEN, required = false) String token,
                          @Valid @RequestBody RescheduleBooking body) {
        return bookings.reschedule(reference, token,
                new Reschedule(body.startsAt().toInstant(), blankToNull(body.therapistId())));
    }

    /** The request as parsed, re-serialised: the same booking sent with other whitespace or offsets is the same body. */
    private byte[] canonical(CreateBooking body) {
        try {
            return mapper.writeValueAsBytes(new CreateBooking(body.locationId(), body.treatmentId(), body.therapistId(),
                    body.startsAt().toInstant().atOffset(java.time.ZoneOffset.UTC), body.customer(), body.promoCode(),
                    body.notes()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the request", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
