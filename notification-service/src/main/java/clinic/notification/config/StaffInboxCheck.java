package clinic.notification.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Refuses to start outside the 'local' profile while staff mail would go to the development
 * addresses ({@code <location>@clinic.test}, {@code callbacks@clinic.test}): a clinic's callback
 * requests would silently reach nobody. Like the JWT signing key, only the local run has defaults.
 */
@Configuration(proxyBeanMethods = false)
public class StaffInboxCheck {

    static final String DEVELOPMENT_DOMAIN = "clinic.test";

    StaffInboxCheck(NotificationProperties props, Environment env) {
        verify(props, env);
    }

    static void verify(NotificationProperties props, Environment env) {
        if (Arrays.asList(env.getActiveProfiles()).contains("local")) return;
        List<String> problems = new ArrayList<>();
        if (isDevelopment(props.staffInboxDomain())) {
            problems.add("STAFF_INBOX_DOMAIN (clinic.notifications.staff-inbox-domain) is "
                    + describe(props.staffInboxDomain()));
        }
        if (isDevelopment(props.callbackFallbackInbox())) {
            problems.add("CALLBACK_FALLBACK_INBOX (clinic.notifications.callback-fallback-inbox) is "
                    + describe(props.callbackFallbackInbox()));
        }
        props.staffInboxes().forEach((location, inbox) -> {
            if (isDevelopment(inbox)) problems.add("the staff inbox of " + location + " is " + describe(inbox));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start with development staff inboxes outside the 'local' "
                    + "profile: " + String.join("; ", problems) + ". Set them to the clinic's own addresses.");
        }
    }

    private static boolean isDevelopment(String value) {
        if (value == null || value.isBlank()) return true;
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals(DEVELOPMENT_DOMAIN) || v.endsWith("@" + DEVELOPMENT_DOMAIN) || v.endsWith("." + DEVELOPMENT_DOMAIN);
    }

    private static String describe(String value) {
        return value == null || value.isBlank() ? "unset" : "still the development value " + value;
    }
}
