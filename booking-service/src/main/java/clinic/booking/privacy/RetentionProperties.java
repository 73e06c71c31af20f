package clinic.booking.privacy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Contract 1.1 retention (docs/privacy.md).
 *
 * @param bookings    how long after the appointment a booking keeps its customer's name, email,
 *                    phone and notes (24 months)
 * @param idempotency how long an Idempotency-Key's stored answer is kept (client retries come within minutes)
 */
@ConfigurationProperties("clinic.booking.retention")
public record RetentionProperties(
        @DefaultValue("730d") Duration bookings,
        @DefaultValue("7d") Duration idempotency) {}
