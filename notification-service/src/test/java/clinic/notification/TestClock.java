package clinic.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The service's "now" in tests: real time, optionally moved by an offset, so a test can jump to
 * the day before an appointment while retries and backoff still see time pass.
 */
public class TestClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    public void moveTo(Instant pretendNow) {
        offset = Duration.between(Instant.now(), pretendNow);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service works in UTC instants");
    }
}
