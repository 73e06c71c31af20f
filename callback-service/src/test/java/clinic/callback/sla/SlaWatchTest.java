package clinic.callback.sla;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.callback.CallbackTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

class SlaWatchTest extends CallbackTestBase {
    @Autowired SlaWatch watch;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;

    private long breachEvents(UUID id) {
        return count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.sla_breached.v1'",
                id.toString());
    }

    @Test
    void anOverdueTaskIsPublishedOnceEvenWhenChecksRace() {
        UUID overdue = requestCallback(newPhone());
        UUID doneLate = requestCallback(newPhone());
        UUID onTime = requestCallback(newPhone());
        double breachesBefore = meters.get("clinic.callbacks.sla.breaches").counter().count();
        staffPost("gil@clinic.test", "/api/staff/callbacks/" + doneLate + "/complete", Map.of("outcome", "BOOKED"))
                .expectStatus().isOk();
        sql("update callback_request set due_at = now() - interval '1 minute' where id in (?, ?)", overdue, doneLate);

        // Eight checks at once, as if several instances (and the scheduler) ran together.
        List<Long> marked = Flux.range(0, 8)
                .flatMap(i -> watch.breachOverdue().subscribeOn(Schedulers.parallel()))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(marked).hasSize(8);
        watch.breachOverdue().block(Duration.ofSeconds(10));

        assertThat(breachEvents(overdue)).isEqualTo(1);
        assertThat(breachEvents(doneLate)).isZero();
        assertThat(breachEvents(onTime)).isZero();
        // Counted once however many checks raced (ClinicCallbackSlaBreaches reads this), and the
        // overdue gauge sees the task still waiting; the completed one is not overdue.
        assertThat(meters.get("clinic.callbacks.sla.breaches").counter().count() - breachesBefore).isEqualTo(1);
        watch.countOverdue().block(Duration.ofSeconds(10));
        assertThat(meters.get("clinic.callbacks.sla.overdue").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(count("select count(*) from callback_request where id = ? and sla_breached_at is not null", overdue))
                .isEqualTo(1);
        String payload = (String) sql("select payload from outbox_event where event_key = ? and event_type = 'callback.sla_breached.v1'",
                overdue.toString()).get(0).get("payload");
        assertThat(payload).contains("\"callbackId\":\"" + overdue + "\"", "\"locationId\":\"doncaster\"", "\"breachedAt\"");

        // Staff see it as overdue; the completed one is not.
        Map<String, Object> task = web.get().uri("/api/staff/callbacks/" + overdue)
                .header(HttpHeaders.AUTHORIZATION, staff("gil@clinic.test")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(task).containsEntry("overdue", true);
        web.get().uri("/api/staff/callbacks/" + doneLate).header(HttpHeaders.AUTHORIZATION, staff("gil@clinic.test"))
                .exchange().expectBody().jsonPath("$.overdue").isEqualTo(false);
    }
}
