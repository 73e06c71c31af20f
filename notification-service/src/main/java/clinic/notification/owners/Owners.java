package clinic.notification.owners;

import clinic.kit.security.ServiceTokens;
import clinic.kit.web.RequestContext;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Client of the owners' internal endpoints (docs/internal-apis.md), with this service's own token
 * for each owner (client credentials at the issuer, audience = the owner: a token for one owner
 * opens nothing at the other). An unknown or erased person is an empty answer: there is no one to write to. Anything else
 * that is not an answer is {@link OwnerUnavailable}. Nothing here logs what it receives.
 */
@Component
public class Owners {
    private final WebClient bookings;
    private final WebClient callbacks;
    private final ServiceTokens tokens;
    private final OwnersProperties props;

    Owners(WebClient.Builder builder, ServiceTokens tokens, OwnersProperties props) {
        this.bookings = builder.clone().baseUrl(props.bookingUrl()).build();
        this.callbacks = builder.clone().baseUrl(props.callbackUrl()).build();
        this.tokens = tokens;
        this.props = props;
    }

    /** A booking's customer as booking-service holds them now. */
    public record BookingContact(String bookingId, String reference, String status, String name, String email,
                                 String phone, boolean erased) {}

    record ManageLink(String bookingId, String reference, String manageToken) {}

    /** The person who asked for a callback, and what they wrote. */
    public record CallbackContact(String callbackId, String name, String phone, String email, String message,
                                  String locationId, boolean erased) {}

    /** Empty when booking-service does not know the booking or its customer was erased. */
    public Mono<BookingContact> booking(String bookingId) {
        return call(bookings.get().uri("/internal/bookings/{id}/contact", bookingId), BookingContact.class,
                "booking-service")
                .filter(c -> !c.erased());
    }

    /** A manage token minted for this mail; empty when there is none to give (erased or unknown). */
    public Mono<String> manageToken(String bookingId) {
        return call(bookings.post().uri("/internal/bookings/{id}/manage-link", bookingId), ManageLink.class,
                "booking-service")
                .mapNotNull(ManageLink::manageToken);
    }

    /** Empty when callback-service does not know the request or its personal data was erased. */
    public Mono<CallbackContact> callback(String callbackId) {
        return call(callbacks.get().uri("/internal/callbacks/{id}/contact", callbackId), CallbackContact.class,
                "callback-service")
                .filter(c -> !c.erased());
    }

    private <T> Mono<T> call(WebClient.RequestHeadersSpec<?> request, Class<T> type, String owner) {
        // The owner's name is the audience its resource server requires of a service token.
        return RequestContext.current().flatMap(ctx -> tokens.token(owner).flatMap(token -> request
                        .headers(h -> {
                            h.setBearerAuth(token);
                            if (ctx.traceparent() != null) h.set("traceparent", ctx.traceparent());
                            if (ctx.requestId() != null) h.set("X-Request-Id", ctx.requestId());
                        })
                        .exchangeToMono(response -> {
                            // Our token refused (its key withdrawn): the next attempt gets a new one.
                            if (response.statusCode().value() == HttpStatus.UNAUTHORIZED.value()) tokens.refused(owner);
                            return read(response, type, owner);
                        })))
                .timeout(props.timeout())
                .onErrorMap(e -> !(e instanceof OwnerUnavailable),
                        e -> new OwnerUnavailable(owner + " did not answer: " + e.getClass().getSimpleName(), e));
    }

    private static <T> Mono<T> read(ClientResponse response, Class<T> type, String owner) {
        if (response.statusCode().is2xxSuccessful()) return response.bodyToMono(type);
        if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) return response.releaseBody().then(Mono.empty());
        int status = response.statusCode().value();
        return response.releaseBody().then(Mono.error(new OwnerUnavailable(owner + " answered " + status, null)));
    }

    /** For callers that treat "no one to write to" and "someone" alike. */
    public static <T> Mono<Optional<T>> optional(Mono<T> answer) {
        return answer.map(Optional::of).defaultIfEmpty(Optional.empty());
    }
}
