package clinic.booking.booking.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.kit.web.Busy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class CreationLimitTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CreationLimit limit = new CreationLimit(2, meters);

    @Test
    void theCreationBeyondTheLimitIsRefusedAtOnceAndTheNextAfterOneEndsIsTaken() {
        Sinks.One<String> first = Sinks.one();
        Sinks.One<String> second = Sinks.one();
        Disposable a = limit.guard(first.asMono()).subscribe();
        Disposable b = limit.guard(second.asMono()).subscribe();
        assertThat(limit.inFlight()).isEqualTo(2);

        StepVerifier.create(limit.guard(Mono.just("third")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(Busy.class, busy -> {
                    assertThat(busy.status().value()).isEqualTo(503);
                    assertThat(busy.code()).isEqualTo("service_unavailable");
                    assertThat(busy.retryAfterSeconds()).isEqualTo(1);
                }))
                .verify();
        assertThat(meters.counter("clinic.bookings.refused.busy").count()).isEqualTo(1.0);

        first.tryEmitValue("done");
        StepVerifier.create(limit.guard(Mono.just("fourth"))).expectNext("fourth").verifyComplete();
        assertThat(limit.inFlight()).isEqualTo(1);
        a.dispose();
        b.dispose();
    }

    @Test
    void aFailedOrCancelledCreationGivesItsPermitBack() {
        StepVerifier.create(limit.guard(Mono.error(new IllegalStateException("boom"))))
                .expectError(IllegalStateException.class).verify();
        Disposable cancelled = limit.guard(Mono.never()).subscribe();
        cancelled.dispose();
        assertThat(limit.inFlight()).isZero();
    }
}
