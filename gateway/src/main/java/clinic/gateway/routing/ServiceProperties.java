package clinic.gateway.routing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param services       base URLs of each service's instances (comma-separated in the environment:
 *                       the run script starts several instances of one service side by side);
 *                       routes name a service as {@code clinic://<name>}
 * @param instanceBackoff how long an instance that refused a connection is skipped while
 *                       another instance of the same service is available
 */
@ConfigurationProperties("clinic.gateway")
public record ServiceProperties(
        @DefaultValue Map<String, List<URI>> services,
        @DefaultValue("5s") Duration instanceBackoff) {}
