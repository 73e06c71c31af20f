package clinic.notification.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicBaseUrl         where customers reach the clinic (manage, confirm and unsubscribe links)
 * @param mailFrom              the From of every mail, e.g. {@code Clinic <hello@clinic.test>}
 * @param zone                  the clinic's zone: every time in a message is shown in it
 * @param reminderLead          how long before an appointment its reminder goes
 * @param reminderPollInterval  how often due reminders are looked for
 * @param staffInboxes          location id to staff inbox; locations not listed get
 *                              {@code <locationId>@<staffInboxDomain>}
 * @param staffInboxDomain      domain of the default staff inboxes
 * @param callbackFallbackInbox staff inbox for callbacks without a location
 * @param clinicName            the name customers know the clinic by; a booking's mails are sent
 *                              and signed as "{clinicName} {location}"
 */
@ConfigurationProperties("clinic.notifications")
public record NotificationProperties(
        @DefaultValue("http://localhost:8080") String publicBaseUrl,
        @DefaultValue("Clinic <hello@clinic.test>") String mailFrom,
        @DefaultValue("Europe/London") ZoneId zone,
        @DefaultValue("24h") Duration reminderLead,
        @DefaultValue("15s") Duration reminderPollInterval,
        Map<String, String> staffInboxes,
        @DefaultValue("clinic.test") String staffInboxDomain,
        @DefaultValue("callbacks@clinic.test") String callbackFallbackInbox,
        @DefaultValue("Peak Motion Clinic") String clinicName) {

    public NotificationProperties {
        staffInboxes = staffInboxes == null ? Map.of() : Map.copyOf(staffInboxes);
        publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    public String staffInboxFor(String locationId) {
        if (locationId == null || locationId.isBlank()) return callbackFallbackInbox;
        return staffInboxes.getOrDefault(locationId, locationId + "@" + staffInboxDomain);
    }
}
