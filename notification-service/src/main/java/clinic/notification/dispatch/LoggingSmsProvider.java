package clinic.notification.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * The SMS provider of the local run and tests: no gateway contract exists yet, so messages are
 * written to the log (number masked) and count as sent. A real provider replaces this bean.
 */
@Component
@ConditionalOnMissingBean(value = SmsProvider.class, ignored = LoggingSmsProvider.class)
class LoggingSmsProvider implements SmsProvider {
    private static final Logger log = LoggerFactory.getLogger(LoggingSmsProvider.class);

    @Override
    public void send(String phoneE164, String text) {
        String masked = phoneE164.length() > 4
                ? "*".repeat(phoneE164.length() - 4) + phoneE164.substring(phoneE164.length() - 4) : "****";
        log.info("sms to {}: {}", masked, text);
    }
}
