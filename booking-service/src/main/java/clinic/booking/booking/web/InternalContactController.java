package clinic.booking.booking.web;

import clinic.booking.booking.CustomerContacts;
import clinic.booking.booking.CustomerContacts.Contact;
import clinic.booking.booking.CustomerContacts.ManageLink;
import clinic.kit.web.ClinicException;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * notification-service's way to a booking's customer (role SERVICE; never routed by the gateway;
 * docs/internal-apis.md). Nothing here is logged: the answers are personal data and a secret.
 */
@RestController
@RequestMapping("/internal/bookings/{bookingId}")
class InternalContactController {
    private final CustomerContacts contacts;

    InternalContactController(CustomerContacts contacts) {
        this.contacts = contacts;
    }

    @GetMapping("/contact")
    Mono<Contact> contact(@PathVariable String bookingId) {
        return contacts.contact(id(bookingId)).switchIfEmpty(Mono.error(() -> ClinicException.notFound("Booking")));
    }

    @PostMapping("/manage-link")
    Mono<ManageLink> manageLink(@PathVariable String bookingId) {
        return contacts.issueMailToken(id(bookingId))
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Booking")));
    }

    private static UUID id(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ClinicException.notFound("Booking");
        }
    }
}
