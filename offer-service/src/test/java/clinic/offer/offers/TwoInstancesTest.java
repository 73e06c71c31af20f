package clinic.offer.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.offer.OfferTopics;
import clinic.offer.OfferServiceApplication;
import clinic.offer.OfferServiceTestBase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of offer-service on one database, as in production: each runs its own
 * schedulers and takes reservations, and still every transition is published once and no cap is
 * overshot.
 */
class TwoInstancesTest extends OfferServiceTestBase {
    private static ConfigurableApplicationContext second;
    private static int secondPort;

    @BeforeEach
    void startSecondInstance() {
        if (second != null) return;
        List<String> args = new ArrayList<>();
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password", "spring.flyway.url",
                "spring.flyway.user", "spring.flyway.password", "spring.kafka.bootstrap-servers",
                "clinic.security.jwks")) {
            args.add("--" + key + "=" + env.getProperty(key));
        }
        properties().forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--server.port=0");
        second = new SpringApplicationBuilder(OfferServiceApplication.class).run(args.toArray(String[]::new));
        secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) second.close();
        second = null;
    }

    @Test
    void eachTransitionIsPublishedOnceWithTwoInstancesRunning() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Far enough ahead that creation never launches it itself: the schedulers must.
        var offer = createOffer(offer(uniqueCode("TWO"), now.plusSeconds(12), now.plusSeconds(15)));
        Object id = offer.get("id");
        assertThat(offer.get("status")).isEqualTo("SCHEDULED");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "EXPIRED".equals(sql("select status from offer where id = ?::uuid", id).get(0).get("status")));
        // Both schedulers keep polling; give them time to misbehave.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                events(OfferTopics.LAUNCHED, id) == 1 && events(OfferTopics.EXPIRED, id) == 1);
        System.out.printf("two instances: launched=%d expired=%d%n", events(OfferTopics.LAUNCHED, id),
                events(OfferTopics.EXPIRED, id));
    }

    @Test
    void aCapIsExactAcrossTwoInstances() throws Exception {
        String code = uniqueCode("CAP2");
        var body = offer(code, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(10)));
        body.put("maxRedemptions", 50);
        var offer = createOffer(body);
        Instant appointment = Instant.now().plus(Duration.ofDays(2));

        List<Integer> statuses = reserveConcurrently(150, i -> i % 2 == 0 ? port : secondPort,
                i -> reservation(code, "two" + i + "@example.com", appointment))
                .stream().map(HttpResponse::statusCode).toList();
        Map<Integer, Long> byStatus = statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        assertThat(byStatus).containsEntry(200, 50L).containsEntry(422, 100L).hasSize(2);
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isEqualTo(50);
        assertThat(sqlLong("select count(*) from reservation where offer_id = ?::uuid", offer.get("id"))).isEqualTo(50);
        System.out.printf("two instances: 150 concurrent reservations, cap 50 -> %s%n", byStatus);
    }
}
