package clinic.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Failed sign-ins per username (known or not, so a 429 reveals nothing about which exist). An
 * attempt in progress counts against the allowance until it is decided, so a burst of parallel
 * guesses cannot slip past the limit.
 */
@Component
class LoginThrottle {
    private static final int SWEEP_ABOVE = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<String, Attempts> byUser = new ConcurrentHashMap<>();

    LoginThrottle(AuthProperties props, Clock clock) {
        this.maxFailures = props.lockout().maxFailures();
        this.window = props.lockout().window();
        this.clock = clock;
    }

    private static final class Attempts {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        int inFlight;
    }

    /** Empty when the attempt may go ahead (then {@link #finish} must follow), else how long to wait. */
    Optional<Duration> begin(String username) {
        Instant now = clock.instant();
        if (byUser.size() > SWEEP_ABOVE) sweep(now);
        Attempts a = byUser.computeIfAbsent(username, u -> new Attempts());
        synchronized (a) {
            prune(a, now);
            if (a.failures.size() + a.inFlight >= maxFailures) {
                Instant free = a.failures.isEmpty() ? now.plusSeconds(1) : a.failures.peekFirst().plus(window);
                return Optional.of(Duration.between(now, free));
            }
            a.inFlight++;
            return Optional.empty();
        }
    }

    void finish(String username, boolean succeeded) {
        Attempts a = byUser.get(username);
        if (a == null) return;
        synchronized (a) {
            a.inFlight = Math.max(0, a.inFlight - 1);
            if (succeeded) {
                a.failures.clear();
            } else {
                a.failures.addLast(clock.instant());
            }
        }
    }

    private void prune(Attempts a, Instant now) {
        Instant oldest = now.minus(window);
        while (!a.failures.isEmpty() && !a.failures.peekFirst().isAfter(oldest)) a.failures.removeFirst();
    }

    private void sweep(Instant now) {
        byUser.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue(), now);
                return e.getValue().failures.isEmpty() && e.getValue().inFlight == 0;
            }
        });
    }
}
