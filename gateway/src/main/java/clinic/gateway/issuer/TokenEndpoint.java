package clinic.gateway.issuer;

import clinic.kit.web.ClinicException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * OAuth2 client credentials (RFC 6749 4.4) for the platform's own services: HTTP Basic with the
 * client id (the service's name) and its secret, {@code audience} the service it will call, which
 * must be one the client is allowed. Failures are problems like every other answer of the gateway.
 */
@RestController
class TokenEndpoint {
    private final IssuerProperties props;
    private final TokenIssuer issuer;

    TokenEndpoint(IssuerProperties props, TokenIssuer issuer) {
        this.props = props;
        this.issuer = issuer;
    }

    @PostMapping(path = "/oauth2/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange,
                                                    @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
        return exchange.getFormData().flatMap(form -> {
            if (!"client_credentials".equals(form.getFirst("grant_type"))) {
                return Mono.error(new ClinicException(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                        "Unsupported grant type", "Only client_credentials is offered"));
            }
            String[] credentials = basic(auth);
            if (credentials == null) return Mono.error(invalidClient());
            IssuerProperties.Client client = props.clients().get(credentials[0]);
            String audience = audience(form, client);
            // bcrypt costs CPU: never on the event loop. An unknown client is compared too (same time).
            return Mono.fromCallable(() -> client != null && client.secretHash() != null && !client.secretHash().isBlank()
                            && BCrypt.checkpw(credentials[1], client.secretHash()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(ok -> {
                        if (!ok) return Mono.error(invalidClient());
                        if (audience == null || !client.audiences().contains(audience)) {
                            return Mono.error(new ClinicException(HttpStatus.BAD_REQUEST, "invalid_target",
                                    "Audience not allowed", "This client may not ask for a token for that audience"));
                        }
                        return issuer.service(credentials[0], audience);
                    })
                    .map(token -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.<String, Object>of(
                            "access_token", token, "token_type", "Bearer",
                            "expires_in", issuer.serviceTokenTtl().toSeconds())));
        });
    }

    private static String audience(MultiValueMap<String, String> form, IssuerProperties.Client client) {
        String asked = form.getFirst("audience");
        if (asked != null) return asked;
        return client != null && client.audiences().size() == 1 ? client.audiences().get(0) : null;
    }

    private static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon <= 0 ? null : new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ClinicException invalidClient() {
        return new ClinicException(HttpStatus.UNAUTHORIZED, "invalid_client", "Invalid client",
                "Unknown client or wrong secret");
    }
}
