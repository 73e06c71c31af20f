package clinic.notification.newsletter.web;

import clinic.notification.newsletter.Newsletter;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/newsletter")
class NewsletterController {
    private final Newsletter newsletter;

    NewsletterController(Newsletter newsletter) {
        this.newsletter = newsletter;
    }

    /** Same answer whether the address is new, pending or confirmed: no one learns who subscribes. */
    @PostMapping("/subscriptions")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<SubscriptionStatus> subscribe(@Valid @RequestBody SubscriptionRequest request) {
        return newsletter.subscribe(request.email(), "web", null).thenReturn(new SubscriptionStatus("ACCEPTED"));
    }

    /** Version 1.0: still answers, but no mail links here any more (a scanner's GET would confirm). */
    @GetMapping("/confirm")
    Mono<SubscriptionStatus> confirm(@RequestParam(required = false) String token) {
        return newsletter.confirm(token).map(NewsletterController::confirmed);
    }

    /** The confirmation page's button. */
    @PostMapping(path = "/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<SubscriptionStatus> confirmByButton(@Valid @RequestBody TokenRequest request) {
        return newsletter.confirm(request.token()).map(NewsletterController::confirmed);
    }

    private static SubscriptionStatus confirmed(Newsletter.Confirmation c) {
        return new SubscriptionStatus("CONFIRMED", c == Newsletter.Confirmation.ALREADY_CONFIRMED ? Boolean.TRUE : null);
    }

    @GetMapping("/unsubscribe")
    Mono<SubscriptionStatus> unsubscribe(@RequestParam(required = false) String token) {
        return newsletter.unsubscribe(token).thenReturn(new SubscriptionStatus("UNSUBSCRIBED"));
    }

    /** The unsubscribe page's button. */
    @PostMapping(path = "/unsubscribe", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<SubscriptionStatus> unsubscribeByButton(@Valid @RequestBody TokenRequest request) {
        return unsubscribe(request.token());
    }

    /**
     * RFC 8058 one-click unsubscribe, which mail clients send as a POST to the List-Unsubscribe URL
     * (form-encoded {@code List-Unsubscribe=One-Click}, the token in the URL).
     */
    @PostMapping("/unsubscribe")
    Mono<SubscriptionStatus> unsubscribeOneClick(@RequestParam(required = false) String token) {
        return unsubscribe(token);
    }
}
