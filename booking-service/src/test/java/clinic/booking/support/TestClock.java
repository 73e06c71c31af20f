package clinic.booking.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The service's "now", settable by tests. One per JVM: the Spring context is shared too. */
public final class TestClock extends Clock {
    /** A Wednesday in winter (GMT = UTC), so local times read the same as the instants. */
    public static final Instant DEFAULT_NOW = Instant.parse("2027-01-20T08:00:00Z");
    public static final TestClock CLOCK = new TestClock();

    private final AtomicReference<Instant> now = new AtomicReference<>(DEFAULT_NOW);

    private TestClock() {}

    public void set(Instant instant) {
        now.set(instant);
    }

    public void reset() {
        now.set(DEFAULT_NOW);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now.get(), zone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
