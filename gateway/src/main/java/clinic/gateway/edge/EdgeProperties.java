package clinic.gateway.edge;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param corsAllowedOrigins    browser origins other than our own that may call the API (none by default)
 * @param contentSecurityPolicy sent on every response; the web front needs no inline script
 * @param maxBodySize           largest request body accepted (the contract says 64 KiB)
 */
@ConfigurationProperties("clinic.gateway")
public record EdgeProperties(
        @DefaultValue List<String> corsAllowedOrigins,
        @DefaultValue("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                + "form-action 'self'; frame-ancestors 'none'") String contentSecurityPolicy,
        @DefaultValue("64KB") DataSize maxBodySize) {}
