package clinic.gateway.ratelimit;

import java.net.InetSocketAddress;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/** Who the client is, for rate limiting: the peer address, or our proxy's word for it when trusted. */
@Component
public class ClientAddress {
    private final boolean trustForwardedFor;

    ClientAddress(RateLimitProperties props) {
        this.trustForwardedFor = props.trustForwardedFor();
    }

    public String of(ServerWebExchange exchange) {
        if (trustForwardedFor) {
            String forwarded = exchange.getRequest().getHeaders().getFirst("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                // Right-most entry: the one appended by the proxy we trust, not one the client wrote.
                String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty() && last.length() <= 64) return last;
            }
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) return "unknown";
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
