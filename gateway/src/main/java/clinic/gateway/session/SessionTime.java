package clinic.gateway.session;

import java.time.Instant;

/** Now, for session expiry; tests move it to pass an idle timeout or an absolute lifetime without waiting. */
@FunctionalInterface
public interface SessionTime {
    Instant now();
}
