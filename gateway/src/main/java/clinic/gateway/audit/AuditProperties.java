package clinic.gateway.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param timeout how long one service gets to answer its part (failing over between its instances
 *                included); a service that takes longer is reported missing rather than holding up
 *                the whole list
 */
@ConfigurationProperties("clinic.gateway.audit")
public record AuditProperties(@DefaultValue("2s") Duration timeout) {}
