package clinic.kit.security;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * This service's own access token for calling another service: OAuth2 client credentials at the
 * issuer ({@code clinic.security.token-uri}, client id = {@code spring.application.name}, secret
 * {@code clinic.security.client-secret}). One token per audience, reused until shortly before it
 * expires, so a call costs no round trip to the issuer.
 */
public class ServiceTokens {
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(30);

    private record Held(String token, Instant expires) {}

    private final WebClient client;
    private final String tokenUri;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private final ConcurrentHashMap<String, Mono<Held>> byAudience = new ConcurrentHashMap<>();

    public ServiceTokens(WebClient.Builder builder, String tokenUri, String clientId, String clientSecret, Clock clock) {
        this.client = builder.build();
        this.tokenUri = tokenUri;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    /** A bearer token (without the {@code Bearer } prefix) for calls to {@code audience}. */
    public Mono<String> token(String audience) {
        return byAudience.compute(audience, (a, held) -> held != null ? held : fetch(a))
                .flatMap(h -> {
                    if (h.expires().minus(RENEW_BEFORE).isAfter(clock.instant())) return Mono.just(h.token());
                    byAudience.remove(audience);
                    return token(audience);
                });
    }

    /**
     * The callee answered 401 to the token for {@code audience}: most likely the key that signed it was
     * withdrawn (docs/operations.md, "Signing keys"). Forgotten, so the next call (a caller's retry)
     * fetches a new one instead of failing until this one expires.
     */
    public void refused(String audience) {
        byAudience.remove(audience);
    }

    private Mono<Held> fetch(String audience) {
        return client.post().uri(tokenUri)
                .headers(h -> h.setBasicAuth(clientId, clientSecret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("grant_type", "client_credentials").with("audience", audience))
                .retrieve()
                .bodyToMono(JsonNode.class)
                .map(n -> new Held(n.path("access_token").asText(),
                        clock.instant().plusSeconds(n.path("expires_in").asLong(60))))
                // A failed fetch is not remembered: the next call asks again.
                .doOnError(e -> byAudience.remove(audience))
                .cache(h -> Duration.ofDays(1), e -> Duration.ZERO, () -> Duration.ZERO);
    }
}
