package clinic.notification.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * The SMS stand-in while no carrier is contracted: the message is written to the log (number
 * masked) so a developer can read it, and reported as not delivered ({@link #delivers()} is false),
 * so the delivery log shows it SUPPRESSED with the reason rather than SENT. A real provider bean
 * replaces this one.
 */
@Component
@ConditionalOnMissingBean(value = SmsProvider.class, ignored = LoggingSmsProvider.class)
class LoggingSmsProvider implements SmsProvider {
    private static final Logger log = LoggerFactory.getLogger(LoggingSmsProvider.class);

    @Override
    public void send(String phoneE164, String text) {
        String masked = phoneE164.length() > 4
                ? "*".repeat(phoneE164.length() - 4) + phoneE164.substring(phoneE164.length() - 4) : "****";
        log.info("sms to {} (not sent: no SMS provider is configured): {}", masked, text);
    }

    @Override
    public boolean delivers() {
        return false;
    }
}
