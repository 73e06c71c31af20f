package clinic.systemtests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.systemtests.Measurements;
import clinic.systemtests.Platform;
import clinic.systemtests.reliability.Support.MailTally;
import clinic.systemtests.reliability.Support.Result;
import clinic.systemtests.reliability.Support.Slot;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: readiness says whether a pod can serve, not whether its dependencies are up. With Kafka
 * stopped, every service stays ready (in Kubernetes: keeps its endpoints), the gateway answers
 * availability and takes a booking without a promo code (its event waits in the outbox), and once
 * Kafka is back the event is delivered: the confirmation mail arrives, once. /actuator/health still
 * says Kafka is down, for the alerts.
 *
 * <p>Books at Chesterfield on the first weekday at least 31 days ahead, which no other test uses
 * (docs/reliability.md).
 */
class DependencyOutageIT {
    private static final String TREATMENT = "sports-massage-30";
    private static final String LOCATION = "chesterfield";
    private static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("gateway", 8080);
        SERVICES.put("booking-service", 8081);
        SERVICES.put("offer-service", 8082);
        SERVICES.put("callback-service", 8083);
        SERVICES.put("notification-service", 8084);
        SERVICES.put("analytics-service", 8085);
    }

    static Platform p;

    @BeforeAll
    static void platform() throws Exception {
        p = Platform.get();
        Support.awaitHealthy(p, Duration.ofMinutes(3));
    }

    @AfterAll
    static void leaveThePlatformHealthy() throws Exception {
        Support.ensureRunning(p);
    }

    /** Services whose readiness is not 200 UP now. */
    private static List<String> notReady() {
        List<String> notReady = new ArrayList<>();
        SERVICES.forEach((service, port) -> {
            Result r = Support.get(Support.port(p, port) + "/actuator/health/readiness", Duration.ofSeconds(3));
            if (r.status() != 200 || r.body() == null || !r.body().contains("\"UP\"")) notReady.add(service + " " + r.status());
        });
        return notReady;
    }

    /** booking-service's view of Kafka in the whole health (what alerts read), e.g. "DOWN". */
    private static String kafkaStatusSeenByBookingService() {
        Result r = Support.get(Support.port(p, 8081) + "/actuator/health", Duration.ofSeconds(5));
        var body = Support.parse(r.body());
        return body == null ? "?" : body.path("components").path("kafka").path("status").asText("?");
    }

    @Test
    void withKafkaStoppedEveryServiceStaysReadyAndABookingWaitsInTheOutbox() throws Exception {
        LocalDate day = Support.weekday(31);
        List<Slot> slots = Support.freeSlots(p, TREATMENT, List.of(LOCATION), List.of(day), 1);
        assertThat(slots).as("a free slot at %s on %s", LOCATION, day).hasSize(1);
        String email = Support.email("kafka-outage");
        assertThat(notReady()).as("ready before the outage").isEmpty();

        long stoppedAt = System.nanoTime();
        Support.stop(p, "kafka");
        String reference;
        try {
            // The dependency really is gone as the services see it (the indicator caches 5 s)...
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(DependencyOutageIT::kafkaStatusSeenByBookingService, "DOWN"::equals);
            // ...and yet no pod says it cannot serve.
            assertThat(notReady()).as("services not ready while Kafka is down").isEmpty();

            List<Slot> offered = Support.availability(p, LOCATION, TREATMENT, day);
            assertThat(offered).as("availability through the gateway while Kafka is down").isNotEmpty();

            Result booked = Support.postJson(p.gateway + "/api/bookings", Support.booking(slots.get(0), email, null),
                    Duration.ofSeconds(15));
            assertThat(booked.status()).as("a booking without a promo code while Kafka is down: %s", booked.body())
                    .isEqualTo(201);
            reference = booked.text("reference");
            assertThat(reference).isNotBlank();
            assertThat(Support.count(p, "booking", "select count(*) from outbox_event where event_type = 'booking.confirmed.v2'"
                    + " and event_key = ? and published_at is null", reference))
                    .as("the confirmed event held in the outbox").isEqualTo(1);

            // Readiness stays UP through the outage, probe after probe (a Kubernetes probe every 5 s).
            await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> notReady().isEmpty());
        } finally {
            Support.start(p, "kafka");
        }
        long outageMs = (System.nanoTime() - stoppedAt) / 1_000_000;

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> Support.count(p, "booking",
                "select count(*) from outbox_event where event_type = 'booking.confirmed.v2' and event_key = ?"
                        + " and published_at is not null", reference) == 1);
        MailTally mail = Support.awaitExactlyOneMailEach(p, List.of(email), Duration.ofMinutes(2), Duration.ofSeconds(3));
        assertThat(mail.exact()).as("the booking's confirmation delivered once after Kafka returned: " + mail).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(DependencyOutageIT::kafkaStatusSeenByBookingService, "UP"::equals);
        Measurements.record("reliability kafka-outage readiness: outage ms", outageMs);
    }
}
