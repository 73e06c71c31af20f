package clinic.kit.inbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxAttempts    deliveries of one event before it is dead-lettered (first try included)
 * @param initialBackoff pause before the second try; doubles each time up to maxBackoff
 * @param handlerTimeout longest a handler may take for one event
 * @param concurrency    consumer threads per handler (at most the topic's partition count)
 */
@ConfigurationProperties("clinic.inbox")
public record InboxProperties(
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("8s") Duration maxBackoff,
        @DefaultValue("30s") Duration handlerTimeout,
        @DefaultValue("1") int concurrency) {}
