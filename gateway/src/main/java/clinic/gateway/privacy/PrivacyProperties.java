package clinic.gateway.privacy;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param services the services (as in {@code clinic.gateway.services}) that hold personal data and
 *                 answer their part of an export; analytics and offer-service keep none that an
 *                 email address finds in the contract's shape
 * @param timeout  how long one service gets to answer its part; a slower one makes the export 503
 */
@ConfigurationProperties("clinic.gateway.privacy")
public record PrivacyProperties(
        @DefaultValue({"booking", "callback", "notification"}) List<String> services,
        @DefaultValue("5s") Duration timeout) {}
