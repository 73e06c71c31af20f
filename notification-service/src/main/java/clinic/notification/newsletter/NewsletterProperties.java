package clinic.notification.newsletter;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the newsletter ({@code clinic.newsletter.*}).
 *
 * @param confirmationValidity how long a confirmation link works after sign-up; an older one is
 *                             refused and the person signs up again (a new link, a new mail)
 */
@ConfigurationProperties("clinic.newsletter")
public record NewsletterProperties(@DefaultValue("7d") Duration confirmationValidity) {}
