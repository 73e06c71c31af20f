package clinic.kit.inbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the kit itself still decides per event. Retries (maxAttempts, backOff*), concurrency and
 * the dead-letter topic are the bindings' settings ({@code spring.cloud.stream.*} in each
 * service's application.yml, docs/adr/0010).
 *
 * @param handlerTimeout longest a handler may take for one event
 */
@ConfigurationProperties("clinic.inbox")
public record InboxProperties(@DefaultValue("30s") Duration handlerTimeout) {}
