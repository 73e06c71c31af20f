package clinic.notification.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled        whether this instance sends (every instance may: claims never overlap)
 * @param pollInterval   how often due notifications are claimed
 * @param batchSize      notifications claimed per poll
 * @param concurrency    sends in flight at once
 * @param lease          how long a claimed notification is hidden from other pollers; longer than
 *                       any send can take (SMTP timeouts, twice when a kept connection turned out
 *                       dropped), so only a crashed sender's claims expire
 * @param connectionMaxMessages mails sent over one SMTP connection before it is closed (QUIT) and
 *                       a new one opened; 1 opens a connection per mail, as before issue 22
 * @param connectionIdleTimeout how long an SMTP connection may wait unused before it is closed:
 *                       shorter than the server's own idle limit, so a kept connection is rarely
 *                       found dropped (GreenMail 30 s, Postfix 300 s, hosted relays often less)
 *
 * <p>Attempts and the waits between them are the resilience4j retry instance
 * {@code notification-delivery} in application.yml (clinic.notification.dispatch.Dispatcher).
 */
@ConfigurationProperties("clinic.notifications.dispatch")
public record DispatchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("20") int batchSize,
        @DefaultValue("4") int concurrency,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("100") int connectionMaxMessages,
        @DefaultValue("5s") Duration connectionIdleTimeout) {}
