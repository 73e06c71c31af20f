package clinic.booking.booking;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Many customers at once: the exclusion constraint lets exactly the non-overlapping ones through. */
class ConcurrentBookingTest extends BookingTestBase {
    private static final Logger log = LoggerFactory.getLogger(ConcurrentBookingTest.class);

    @LocalServerPort int port;

    /** Creates refused as conflicts so far, whatever the reason (availability or the constraint). */
    private double createConflicts() {
        return meters.find(BookingConflicts.METRIC).tag("operation", "create").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** Fires all bodies at once; returns how many of each status came back. */
    private Map<Integer, Integer> fire(List<Map<String, Object>> bodies) {
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Flux.fromIterable(bodies)
                .flatMap(body -> client.post().uri("/api/bookings").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(body)
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                        .onErrorResume(e -> Mono.just(-1)), bodies.size())
                .doOnNext(s -> statuses.merge(s, 1, Integer::sum))
                .blockLast(Duration.ofSeconds(120));
        return statuses;
    }

    private long overlappingConfirmedPairs() {
        return sql("""
                select count(*) from booking a join booking b
                  on a.therapist_id = b.therapist_id and a.id < b.id
                 and tstzrange(a.starts_at, a.blocked_until) && tstzrange(b.starts_at, b.blocked_until)
                where a.status = 'CONFIRMED' and b.status = 'CONFIRMED'""");
    }

    @Test
    void fiftyRequestsForOneTherapistAndTimeGiveExactlyOneBooking() {
        Instant at = Instant.parse("2027-03-03T11:00:00Z");
        List<Map<String, Object>> bodies = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> booking("sheffield", "sports-massage-60", "sheffield-cara", at)).toList();

        double conflictsBefore = createConflicts();
        Map<Integer, Integer> statuses = fire(bodies);
        log.info("50 concurrent creates for one therapist and time: {}; conflicts by reason: {}", statuses,
                meters.find(BookingConflicts.METRIC).counters().stream()
                        .map(c -> c.getId().getTag("operation") + "/" + c.getId().getTag("reason") + "=" + c.count()).toList());

        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1, 409, 49));
        // Every 409 is counted as a conflict (the dashboard's double-booking panel), whichever check refused it.
        assertThat(createConflicts() - conflictsBefore).isEqualTo(49);
        assertThat(sql("select count(*) from booking where status = 'CONFIRMED' and therapist_id = 'sheffield-cara'"
                + " and starts_at = '2027-03-03T11:00:00Z'")).isEqualTo(1);
        assertThat(overlappingConfirmedPairs()).isZero();
    }

    @Test
    void overlappingButDifferentSlotsNeverBothSucceed() {
        // Every quarter hour from 09:00 to 12:00, twice each: 60-minute sessions that overlap their
        // neighbours (and their buffers) in many ways.
        AtomicInteger n = new AtomicInteger();
        List<Map<String, Object>> bodies = Flux.range(0, 13)
                .map(i -> Instant.parse("2027-03-04T09:00:00Z").plus(Duration.ofMinutes(15L * i)))
                .flatMapIterable(start -> List.of(start, start))
                .map(start -> {
                    n.incrementAndGet();
                    return booking("doncaster", "sports-massage-60", "doncaster-erin", start);
                })
                .collectList().block();

        Map<Integer, Integer> statuses = fire(bodies);
        log.info("{} concurrent creates over overlapping slots of one therapist: {}", n.get(), statuses);

        assertThat(statuses.keySet()).containsOnly(201, 409);
        long confirmed = sql("select count(*) from booking where status = 'CONFIRMED' and therapist_id = 'doncaster-erin'"
                + " and starts_at >= '2027-03-04T00:00:00Z' and starts_at < '2027-03-05T00:00:00Z'");
        assertThat(confirmed).isEqualTo((long) statuses.get(201)).isBetween(1L, 3L); // 75-min blocks in 4 hours
        assertThat(overlappingConfirmedPairs()).isZero();
    }

    @Test
    void anyTherapistRequestsFillEveryTherapistOnceAndNoMore() {
        Instant at = Instant.parse("2027-03-05T15:00:00Z");
        List<Map<String, Object>> bodies = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> booking("rotherham", "sports-massage-30", null, at)).toList();

        Map<Integer, Integer> statuses = fire(bodies);
        log.info("12 concurrent any-therapist creates for one time at a two-therapist location: {}", statuses);

        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 2, 409, 10));
        assertThat(sql("select count(distinct therapist_id) from booking where status = 'CONFIRMED'"
                + " and location_id = 'rotherham' and starts_at = '2027-03-05T15:00:00Z'")).isEqualTo(2);
        assertThat(overlappingConfirmedPairs()).isZero();
    }
}
