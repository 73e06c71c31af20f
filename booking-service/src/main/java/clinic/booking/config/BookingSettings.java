package clinic.booking.config;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Booking rules of the clinic.
 *
 * @param buffer             time kept free after each appointment (room turnaround)
 * @param minimumNotice      how far ahead of now the earliest bookable start is
 * @param horizon            how far ahead of now the latest bookable start is
 * @param cancellationCutoff customers cannot cancel later than this before the start (staff can)
 * @param zone               the clinic's zone: slots and "days" are computed in it
 * @param seedDemoClinic     seed demo therapists and their hours at start-up (local run, tests)
 */
@ConfigurationProperties("clinic.booking")
public record BookingSettings(
        @DefaultValue("15m") Duration buffer,
        @DefaultValue("2h") Duration minimumNotice,
        @DefaultValue("90d") Duration horizon,
        @DefaultValue("24h") Duration cancellationCutoff,
        @DefaultValue("Europe/London") ZoneId zone,
        @DefaultValue("false") boolean seedDemoClinic) {

    /** Every start sits on this grid of local time. */
    public static final int GRID_MINUTES = 15;
}
