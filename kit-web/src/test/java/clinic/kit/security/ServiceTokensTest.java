package clinic.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** A service token is reused until shortly before it expires, unless the callee refused it. */
class ServiceTokensTest {
    private final AtomicInteger fetched = new AtomicInteger();

    /** The issuer's token endpoint: a new token each time, valid 5 minutes. */
    private final WebClient.Builder issuer = WebClient.builder().exchangeFunction(request -> {
        int n = fetched.incrementAndGet();
        return Mono.just(ClientResponse.create(HttpStatus.OK)
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .body("{\"access_token\":\"token-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                .build());
    });

    @Test
    void aTokenIsReusedUntilTheCalleeRefusesIt() {
        ServiceTokens tokens = new ServiceTokens(issuer, "http://issuer/oauth2/token", "booking-service", "secret",
                Clock.systemUTC());
        assertThat(tokens.token("offer-service").block(Duration.ofSeconds(5))).isEqualTo("token-1");
        assertThat(tokens.token("offer-service").block(Duration.ofSeconds(5))).isEqualTo("token-1");
        assertThat(fetched).hasValue(1);

        // offer-service answered 401 (the key that signed token-1 was withdrawn): the next call asks again.
        tokens.refused("offer-service");
        assertThat(tokens.token("offer-service").block(Duration.ofSeconds(5))).isEqualTo("token-2");
        assertThat(tokens.token("offer-service").block(Duration.ofSeconds(5))).isEqualTo("token-2");
        assertThat(fetched).hasValue(2);
    }
}
