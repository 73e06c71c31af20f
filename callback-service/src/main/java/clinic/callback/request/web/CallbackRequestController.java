package clinic.callback.request.web;

import clinic.callback.request.CallbackRequestForm;
import clinic.callback.request.CallbackRequests;
import clinic.kit.web.IdempotencyKeys;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class CallbackRequestController {
    private final CallbackRequests requests;

    CallbackRequestController(CallbackRequests requests) {
        this.requests = requests;
    }

    record Accepted(UUID id, String status) {}

    @PostMapping("/api/callbacks")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Accepted> request(@Valid @RequestBody CallbackRequestForm form,
                           @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        IdempotencyKeys.checked(idempotencyKey);
        // Always OPEN: a replayed or duplicate request answers exactly as the first one did.
        return requests.request(form, idempotencyKey).map(id -> new Accepted(id, "OPEN"));
    }
}
