package clinic.booking.booking.web;

import clinic.booking.booking.BookingCommands.View;
import clinic.booking.booking.BookingService;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Staff views; the kit's security chain (KitSecurity) lets only STAFF or ADMIN reach /api/staff/**. */
@RestController
class StaffBookingController {
    private final BookingService bookings;

    StaffBookingController(BookingService bookings) {
        this.bookings = bookings;
    }

    @GetMapping("/api/staff/bookings")
    Mono<List<View>> day(@RequestParam("locationId") String locationId,
                         @RequestParam("date") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        return bookings.day(locationId, date);
    }

    @PostMapping("/api/staff/bookings/{reference}/cancel")
    Mono<View> cancel(@PathVariable String reference) {
        return bookings.cancelByStaff(reference);
    }
}
