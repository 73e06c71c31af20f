package clinic.callback.privacy.web;

import clinic.callback.privacy.CallbackContacts;
import clinic.callback.privacy.CallbackContacts.Contact;
import clinic.kit.web.ClinicException;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** notification-service's way to a caller (role SERVICE; never routed by the gateway; docs/internal-apis.md). */
@RestController
class InternalContactController {
    private final CallbackContacts contacts;

    InternalContactController(CallbackContacts contacts) {
        this.contacts = contacts;
    }

    @GetMapping("/internal/callbacks/{id}/contact")
    Mono<Contact> contact(@PathVariable String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ClinicException.notFound("Callback");
        }
        return contacts.contact(uuid).switchIfEmpty(Mono.error(() -> ClinicException.notFound("Callback")));
    }
}
