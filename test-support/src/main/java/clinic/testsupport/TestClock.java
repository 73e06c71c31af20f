package clinic.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A service's "now" in tests, in one of two kinds:
 * <ul>
 *   <li>{@link #flowing()}: real time shifted by an offset a test sets, so a test can stand on the day
 *       of a clock change or the day before an appointment while retries, backoff and reservations
 *       still see time pass (notification- and offer-service);</li>
 *   <li>{@link #frozenAt(Instant)}: time stands still until a test moves it, so availability and
 *       cut-offs are computed against an exact instant (booking-service).</li>
 * </ul>
 * UTC; {@link #withZone} gives a view of the same instant in another zone (local dates of a clinic).
 */
public final class TestClock extends Clock {
    private final Instant frozenDefault;
    private volatile Duration offset = Duration.ZERO;
    private volatile Instant frozen;

    private TestClock(Instant frozenDefault) {
        this.frozenDefault = frozenDefault;
        this.frozen = frozenDefault;
    }

    /** Real time until a test moves it; {@link #reset()} goes back to real time. */
    public static TestClock flowing() {
        return new TestClock(null);
    }

    /** Stands at {@code now} until a test moves it; {@link #reset()} goes back to {@code now}. */
    public static TestClock frozenAt(Instant now) {
        return new TestClock(now);
    }

    /** Moves "now" to {@code instant} (a flowing clock keeps flowing from there). */
    public void setTo(Instant instant) {
        if (frozenDefault != null) frozen = instant;
        else offset = Duration.between(Instant.now(), instant);
    }

    /** Moves "now" on by {@code d}. */
    public void advance(Duration d) {
        if (frozenDefault != null) frozen = frozen.plus(d);
        else offset = offset.plus(d);
    }

    /** Back to real time (flowing) or to the instant it was made with (frozen). */
    public void reset() {
        offset = Duration.ZERO;
        frozen = frozenDefault;
    }

    @Override
    public Instant instant() {
        return frozenDefault != null ? frozen : Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Frozen: a fixed clock at the current instant, as before. Flowing: a live view, so it keeps moving.
        if (frozenDefault != null) return Clock.fixed(frozen, zone);
        TestClock self = this;
        return new Clock() {
            @Override public ZoneId getZone() { return zone; }
            @Override public Clock withZone(ZoneId z) { return self.withZone(z); }
            @Override public Instant instant() { return self.instant(); }
        };
    }
}
