package clinic.booking.testclock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The movable clock exists only beside the local profile, and moves by exactly its offset. */
class TestClockProfileTest {

    @Test
    void refusesToStartWithoutTheLocalProfile() {
        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("production", "test-clock");
        assertThatThrownBy(() -> new TestClockConfiguration(production))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("local");

        MockEnvironment local = new MockEnvironment();
        local.setActiveProfiles("local", "test-clock");
        assertThat(new TestClockConfiguration(local).clock()).isNotNull();
    }

    @Test
    void theClockRunsAheadByTheOffsetAndResets() {
        OffsetClock clock = new OffsetClock();
        Instant before = Instant.now();
        clock.offset(Duration.ofDays(3));
        assertThat(clock.instant()).isAfterOrEqualTo(before.plus(Duration.ofDays(3)))
                .isBefore(Instant.now().plus(Duration.ofDays(3)).plusSeconds(5));
        clock.offset(Duration.ZERO);
        assertThat(clock.instant()).isBefore(before.plus(Duration.ofDays(1)));
    }
}
