package clinic.offer.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.offer.OfferTopics;
import clinic.offer.OfferServiceTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** SCHEDULED → LIVE → EXPIRED on their own: once each, caught up after a gap, in local time. */
class LifecycleTest extends OfferServiceTestBase {
    @Autowired OfferLifecycle lifecycle;

    @Test
    void eachTransitionIsMadeAndPublishedOnceHoweverManyPassesRace() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var offer = createOffer(offer(uniqueCode("ONCE"), now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2))));
        Object id = offer.get("id");

        // Sixteen passes at once, as if sixteen instances woke at the moment of launch, while the
        // service's own scheduler keeps running.
        race(16, now.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(status(id)).isEqualTo("LIVE");
        assertThat(events(OfferTopics.LAUNCHED, id)).isEqualTo(1);

        race(16, now.plus(Duration.ofHours(2)).plusSeconds(1));
        assertThat(status(id)).isEqualTo("EXPIRED");
        assertThat(events(OfferTopics.EXPIRED, id)).isEqualTo(1);
        assertThat(events(OfferTopics.LAUNCHED, id)).isEqualTo(1);
        System.out.printf("lifecycle race: 16 concurrent passes per transition -> launched=%d expired=%d%n",
                events(OfferTopics.LAUNCHED, id), events(OfferTopics.EXPIRED, id));
    }

    @Test
    void momentsMissedWhileNoPassRanAreCaughtUp() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var whollyMissed = createOffer(offer(uniqueCode("MISS"), now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2))));
        var launchMissed = createOffer(offer(uniqueCode("LATE"), now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(2))));

        // The service comes back three hours later.
        clock.setTo(now.plus(Duration.ofHours(3)));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "EXPIRED".equals(status(whollyMissed.get("id"))) && "LIVE".equals(status(launchMissed.get("id"))));
        // A window that passed unseen is not announced after the fact.
        assertThat(events(OfferTopics.LAUNCHED, whollyMissed.get("id"))).isZero();
        assertThat(events(OfferTopics.EXPIRED, whollyMissed.get("id"))).isEqualTo(1);
        assertThat(events(OfferTopics.LAUNCHED, launchMissed.get("id"))).isEqualTo(1);
    }

    @Test
    void aWindowOfLocalDaysAcrossTheOctoberClockChangeOpensAndClosesAtLocalMidnight() {
        ZoneId london = ZoneId.of("Europe/London");
        clock.setTo(Instant.parse("2026-10-20T12:00:00Z"));
        var offer = createOffer(offer(uniqueCode("OCT"), LocalDate.of(2026, 10, 25).atStartOfDay(london).toInstant(),
                LocalDate.of(2026, 10, 26).atStartOfDay(london).toInstant()));
        Object id = offer.get("id");
        assertThat(offer.get("startsAt")).isEqualTo("2026-10-24T23:00:00Z");   // 00:00 BST
        assertThat(offer.get("endsAt")).isEqualTo("2026-10-26T00:00:00Z");     // 00:00 GMT

        at(Instant.parse("2026-10-24T22:59:00Z"));   // 23:59 BST on the 24th
        assertThat(status(id)).isEqualTo("SCHEDULED");
        at(Instant.parse("2026-10-24T23:00:00Z"));   // midnight BST
        assertThat(status(id)).isEqualTo("LIVE");
        at(Instant.parse("2026-10-25T23:30:00Z"));   // 23:30 GMT: still the 25th (a 24-hour day would be over)
        assertThat(status(id)).isEqualTo("LIVE");
        at(Instant.parse("2026-10-26T00:00:00Z"));   // midnight GMT
        assertThat(status(id)).isEqualTo("EXPIRED");
        assertThat(events(OfferTopics.LAUNCHED, id)).isEqualTo(1);
        assertThat(events(OfferTopics.EXPIRED, id)).isEqualTo(1);
    }

    /** Puts the service's clock at {@code t} and makes sure a pass has run there. */
    private void at(Instant t) {
        clock.setTo(t);
        lifecycle.advance(t).block();
    }

    private String status(Object id) {
        return (String) sql("select status from offer where id = ?::uuid", id).get(0).get("status");
    }

    private void race(int passes, Instant at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(passes);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < passes; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return lifecycle.advance(at).block();
                }));
            }
            go.countDown();
            for (var r : results) r.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
