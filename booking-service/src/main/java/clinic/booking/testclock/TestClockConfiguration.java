package clinic.booking.testclock;

import clinic.kit.security.AccessRules;
import clinic.kit.security.InternalUserAccess;
import clinic.kit.security.KitSecurity;
import clinic.kit.security.SecurityProperties;
import clinic.kit.web.ClinicException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Profile {@code test-clock}: booking-service's clock runs ahead of real time by an offset set at
 * {@code PUT /internal/test-clock {"offsetSeconds"}} (an ADMIN's token, by this profile's exception to
 * the kit's service-tokens-only rule for /internal/**, on the service's own port: the gateway routes no
 * /internal path) and reset by
 * {@code DELETE}. Refuses to start without the {@code local} profile, which production never has.
 */
@Configuration
@Profile("test-clock")
class TestClockConfiguration {
    private static final Logger log = LoggerFactory.getLogger(TestClockConfiguration.class);

    TestClockConfiguration(Environment env) {
        if (!env.acceptsProfiles(Profiles.of("local"))) {
            throw new IllegalStateException("the test-clock profile is for local test runs only (with 'local')");
        }
        log.warn("test-clock profile: the clock can be moved through /internal/test-clock");
    }

    @Bean
    @Primary
    OffsetClock clock() {
        return new OffsetClock();
    }

    /**
     * Tokens are checked against real time, not the moved clock: the gateway issues them now, and a
     * clock days ahead would find every token expired (the staff desk's no-show test signs in,
     * moves the clock past the appointment, then records attendance). Replaces the kit's decoder,
     * whose expiry check takes the service's clock (this profile's moved one).
     */
    @Bean
    ReactiveJwtDecoder realTimeTokens(SecurityProperties props, ObjectProvider<WebClient.Builder> webClients) {
        return KitSecurity.resourceServerDecoder(props, java.time.Clock.systemUTC(), webClients);
    }

    /**
     * Moving the clock is an ADMIN's act with the admin's own sign-in token (the system tests hold no
     * service credentials); without this the kit lets only service tokens reach /internal/**.
     */
    @Bean
    InternalUserAccess testClockForAdmins() {
        return new InternalUserAccess("/internal/test-clock", Set.of(AccessRules.ADMIN));
    }

    record Offset(@NotNull @Min(0) @Max(366L * 24 * 3600) Long offsetSeconds) {}

    @RestController
    @Profile("test-clock")
    static class TestClockController {
        private final OffsetClock clock;

        TestClockController(OffsetClock clock) {
            this.clock = clock;
        }

        @GetMapping("/internal/test-clock")
        Map<String, Object> get() {
            return Map.of("offsetSeconds", clock.offset().toSeconds(), "now", clock.instant().toString());
        }

        @PutMapping("/internal/test-clock")
        Map<String, Object> set(@Valid @RequestBody Offset body) {
            if (body.offsetSeconds() == null) throw ClinicException.invalid("offsetSeconds", "must not be null");
            clock.offset(Duration.ofSeconds(body.offsetSeconds()));
            log.warn("test-clock: now {} ({} s ahead)", clock.instant(), body.offsetSeconds());
            return get();
        }

        @DeleteMapping("/internal/test-clock")
        Map<String, Object> reset() {
            clock.offset(Duration.ZERO);
            return get();
        }
    }
}
