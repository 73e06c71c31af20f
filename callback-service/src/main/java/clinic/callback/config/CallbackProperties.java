package clinic.callback.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of callback-service ({@code clinic.callbacks.*}).
 *
 * @param responseTarget     working time within which a request should be answered (dueAt)
 * @param openingDays        days the clinic answers calls
 * @param opensAt            local opening time on those days
 * @param closesAt           local closing time on those days
 * @param zone               the clinic's zone for opening hours
 * @param locations          location ids a request may name
 * @param duplicateWindow    a second request from the same phone within this window, while the first
 *                           is still open, returns the first
 * @param retention          personal data of completed requests is erased this long after completion
 * @param streamHeartbeat    interval of SSE comment lines that keep proxies from closing the stream
 * @param slaCheckInterval   how often overdue tasks are looked for
 * @param erasureInterval    how often the retention job runs
 */
@ConfigurationProperties("clinic.callbacks")
public record CallbackProperties(
        @DefaultValue("2h") Duration responseTarget,
        @DefaultValue({"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}) Set<DayOfWeek> openingDays,
        @DefaultValue("09:00") LocalTime opensAt,
        @DefaultValue("17:00") LocalTime closesAt,
        @DefaultValue("Europe/London") ZoneId zone,
        @DefaultValue({"sheffield", "doncaster", "rotherham", "hathersage", "chesterfield"}) List<String> locations,
        @DefaultValue("10m") Duration duplicateWindow,
        @DefaultValue("90d") Duration retention,
        @DefaultValue("15s") Duration streamHeartbeat,
        @DefaultValue("30s") Duration slaCheckInterval,
        @DefaultValue("1h") Duration erasureInterval) {}
