package clinic.kit.security;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every service is an OAuth2 resource server: Spring Security checks the bearer token (ES256,
 * verified with the issuer's public keys, our issuer, not expired) and applies
 * {@link AccessRules}. No or bad token on a protected path is 401 {@code unauthorized}, a valid
 * token without a needed role 403 {@code forbidden}; a bad token on a public path is ignored (the
 * caller is anonymous there, as before). {@code /internal/**} takes only service tokens
 * ({@code roles: [SERVICE]}) whose {@code aud} names this service: a user's token, ADMIN's too, is 403.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class KitSecurity {
    public static final String ROLE_PREFIX = "ROLE_";
    public static final String ROLES_CLAIM = "roles";

    /**
     * No observations of the security filter chain, its authentication and its authorization: with
     * no tracer they only fed timers nobody charts, and they wrapped every filter of every request
     * (about 5 % of an availability request's CPU in the gateway and in booking-service). The
     * request's own {@code http.server.requests} timer is unaffected.
     */
    @Bean
    @ConditionalOnMissingBean
    org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    /** Tokens verified with the issuer's JWKS (fetched, or inline for tests). The issuer replaces this bean. */
    @Bean
    @ConditionalOnMissingBean(ReactiveJwtDecoder.class)
    ReactiveJwtDecoder clinicJwtDecoder(SecurityProperties props, Clock clock,
                                        ObjectProvider<WebClient.Builder> webClients) {
        return resourceServerDecoder(props, clock, webClients);
    }

    /**
     * The decoder a resource server uses, with expiry checked against {@code clock}. Public so a service
     * whose own clock is moved in tests (booking-service's test-clock profile) can check tokens against
     * real time instead: the gateway issues them now, and a clock days ahead finds them all expired.
     */
    public static ReactiveJwtDecoder resourceServerDecoder(SecurityProperties props, Clock clock,
                                                           ObjectProvider<WebClient.Builder> webClients) {
        RefreshingJwkSource source;
        if (props.jwks() != null && !props.jwks().isBlank()) {
            JWKSet inline;
            try {
                inline = JWKSet.parse(props.jwks());
            } catch (ParseException e) {
                throw new IllegalStateException("clinic.security.jwks is not a JWK set", e);
            }
            source = new RefreshingJwkSource(() -> Mono.just(inline), props.jwksCacheFor(), props.jwksMinRefetch(), clock);
        } else if (props.jwkSetUri() != null && !props.jwkSetUri().isBlank()) {
            WebClient client = webClients.getIfAvailable(WebClient::builder).build();
            source = new RefreshingJwkSource(() -> client.get().uri(props.jwkSetUri()).retrieve()
                    .bodyToMono(String.class)
                    .map(body -> {
                        try {
                            return JWKSet.parse(body);
                        } catch (ParseException e) {
                            throw new IllegalStateException("the issuer's JWKS is not a JWK set", e);
                        }
                    }), props.jwksCacheFor(), props.jwksMinRefetch(), clock);
        } else {
            throw new IllegalStateException("No way to check tokens: set clinic.security.jwk-set-uri "
                    + "(CLINIC_ISSUER_URL, the gateway's /.well-known/jwks.json)");
        }
        return decoder(source, props.issuer(), clock, List.of());
    }

    /**
     * The one way tokens are checked: ES256 only (so HS256 and {@code none} fail), issuer, expiry, subject
     * and roles. A token's signature is checked once; its later uses re-run the validators and check
     * that its key is still trusted ({@link RememberedTokens}).
     */
    public static ReactiveJwtDecoder decoder(RefreshingJwkSource keys, String issuer, Clock clock,
                                                   List<OAuth2TokenValidator<Jwt>> more) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(keys)
                .jwsAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.ES256)
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        // Expiry against the service's clock (tests move it), with Spring's default minute of skew.
        JwtTimestampValidator expiry = new JwtTimestampValidator();
        expiry.setClock(clock);
        validators.add(expiry);
        validators.add(new JwtIssuerValidator(issuer));
        validators.add(jwt -> jwt.getSubject() != null && jwt.getClaimAsStringList(ROLES_CLAIM) != null
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "sub and roles are required", null)));
        validators.addAll(more);
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(validators);
        decoder.setJwtValidator(validator);
        return new RememberedTokens(decoder, keys, validator);
    }

    @Bean
    SecurityWebFilterChain clinicSecurityChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder,
                                               ObjectMapper mapper, Environment env,
                                               ObjectProvider<InternalUserAccess> userAccess) {
        // The audience a service token must name to reach /internal/** here.
        String self = env.getProperty("clinic.security.audience", env.getProperty("spring.application.name", "clinic"));
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(ROLES_CLAIM);
        roles.setAuthorityPrefix(ROLE_PREFIX);
        JwtAuthenticationConverter toAuth = new JwtAuthenticationConverter();
        toAuth.setJwtGrantedAuthoritiesConverter(roles);

        http.csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens, no cookies: nothing for CSRF to protect here
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                // The gateway writes its own security headers; services answer only the gateway.
                .headers(ServerHttpSecurity.HeaderSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(ex -> {
                    for (AccessRules.Rule r : AccessRules.RULES) {
                        ex.pathMatchers(r.pattern()).hasAnyRole(r.roles().toArray(String[]::new));
                    }
                    // Local test aids (never in production profiles) that a signed-in user may call.
                    userAccess.orderedStream().forEach(u ->
                            ex.pathMatchers(u.pattern()).hasAnyRole(u.roles().toArray(String[]::new)));
                    ex.pathMatchers(AccessRules.INTERNAL).access(serviceTokenFor(self));
                    ex.anyExchange().permitAll();
                })
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((exchange, ex) -> unauthorized(exchange, mapper))
                        .accessDeniedHandler((exchange, ex) -> forbidden(exchange, mapper)))
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtDecoder(decoder)
                                .jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(toAuth)))
                        .authenticationEntryPoint((exchange, ex) -> unauthorized(exchange, mapper))
                        .accessDeniedHandler((exchange, ex) -> forbidden(exchange, mapper))
                        // A bad token on a public path: carry on as an anonymous caller (public pages
                        // keep working with a stale token); on a protected path it is 401.
                        .authenticationFailureHandler((wfe, ex) ->
                                AccessRules.isProtected(wfe.getExchange().getRequest().getPath().pathWithinApplication().value())
                                        ? unauthorized(wfe.getExchange(), mapper)
                                        : wfe.getChain().filter(wfe.getExchange())));
        return http.build();
    }

    /** A service's own token (roles SERVICE) issued for this service's audience. */
    static ReactiveAuthorizationManager<AuthorizationContext> serviceTokenFor(String audience) {
        return (authentication, context) -> authentication
                .filter(Authentication::isAuthenticated)
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(a -> {
                    Jwt jwt = ((JwtAuthenticationToken) a).getToken();
                    boolean service = a.getAuthorities().stream()
                            .anyMatch(g -> g.getAuthority().equals(ROLE_PREFIX + AccessRules.SERVICE));
                    List<String> aud = jwt.getAudience();
                    return new AuthorizationDecision(service && aud != null && aud.contains(audience));
                })
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    static Mono<Void> unauthorized(ServerWebExchange exchange, ObjectMapper mapper) {
        if (exchange.getResponse().isCommitted()) return Mono.empty();
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.UNAUTHORIZED,
                "unauthorized", "Unauthorized", "Sign in first: a valid bearer token is required"), mapper);
    }

    static Mono<Void> forbidden(ServerWebExchange exchange, ObjectMapper mapper) {
        if (exchange.getResponse().isCommitted()) return Mono.empty();
        return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.FORBIDDEN,
                "forbidden", "Forbidden", "Your role does not allow this"), mapper);
    }
}
