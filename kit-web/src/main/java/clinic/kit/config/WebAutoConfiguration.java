package clinic.kit.config;

import clinic.kit.security.KitSecurity;
import clinic.kit.security.SecurityProperties;
import clinic.kit.security.ServiceTokens;
import clinic.kit.tracing.Tracing;
import clinic.kit.tracing.TracingProperties;
import clinic.kit.web.CloseAfterRefusalFilter;
import clinic.kit.web.ProblemHandling;
import clinic.kit.web.RequestContextFilter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Wires kit-web into a service (the gateway too): problems, strict JSON, request context and tracing,
 * token checks (KitSecurity) and this service's own tokens. Settings with defaults live in
 * {@code clinic-kit-defaults.properties} (lowest precedence, see {@link KitDefaults}); kit-data and
 * kit-messaging add their own.
 */
@AutoConfiguration
@EnableConfigurationProperties({SecurityProperties.class, TracingProperties.class})
@org.springframework.context.annotation.Import(KitSecurity.class)
public class WebAutoConfiguration {

    static {
        clinic.kit.web.LogContext.register();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Picked up by Boot's ObjectMapper: JSON strings with NUL characters are a 400 naming the field. */
    @Bean
    clinic.kit.web.NoNulStrings noNulStrings() {
        return new clinic.kit.web.NoNulStrings();
    }

    /** Picked up by Boot's ObjectMapper: each field read only from its own JSON type (no scalar coercion). */
    @Bean
    clinic.kit.web.StrictJson strictJson() {
        return new clinic.kit.web.StrictJson();
    }

    /** Spans exported over OTLP when clinic.tracing.otlp-endpoint is set; otherwise span ids only. */
    @Bean
    @ConditionalOnMissingBean
    Tracing tracing(TracingProperties props, Environment env) {
        return Tracing.create(props, env.getProperty("spring.application.name", "clinic"));
    }

    @Bean
    RequestContextFilter requestContextFilter(Tracing tracing) {
        return new RequestContextFilter(tracing);
    }

    @Bean
    CloseAfterRefusalFilter closeAfterRefusalFilter() {
        return new CloseAfterRefusalFilter();
    }

    /** Every request handled in an event-loop task of its own, so a buffered keep-alive request never stalls its connection. */
    @Bean
    clinic.kit.web.KeepReadingFilter keepReadingFilter() {
        return new clinic.kit.web.KeepReadingFilter();
    }

    @Bean
    ProblemHandling.Advice problemAdvice() {
        return new ProblemHandling.Advice();
    }

    @Bean
    ProblemHandling.ExceptionHandlerFilter problemExceptionHandler(ObjectMapper mapper) {
        return new ProblemHandling.ExceptionHandlerFilter(mapper);
    }

    /** This service's own token for calls to others, when it has a client secret at the issuer. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "clinic.security.token-uri")
    ServiceTokens serviceTokens(SecurityProperties props, Environment env, Clock clock,
                                ObjectProvider<org.springframework.web.reactive.function.client.WebClient.Builder> webClients) {
        if (props.clientSecret() == null || props.clientSecret().isBlank()) {
            throw new IllegalStateException("clinic.security.token-uri is set but this service has no client secret: "
                    + "set CLINIC_CLIENT_SECRET");
        }
        return new ServiceTokens(webClients.getIfAvailable(org.springframework.web.reactive.function.client.WebClient::builder),
                props.tokenUri(), env.getProperty("spring.application.name", "clinic"), props.clientSecret(), clock);
    }
}
