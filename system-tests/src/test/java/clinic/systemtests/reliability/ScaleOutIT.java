package clinic.systemtests.reliability;

import static clinic.systemtests.reliability.Support.count;
import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Measurements;
import clinic.systemtests.SseClient;
import clinic.systemtests.Platform;
import clinic.systemtests.reliability.Support.Result;
import clinic.systemtests.reliability.Support.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10, concurrency and scale-out: second instances of booking-service, offer-service and
 * callback-service beside the first ones (same databases, same Kafka), driven directly on their
 * ports and through the gateway. The invariants are checked in SQL, where they live.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    private static final List<String> EXTRA = List.of("booking-service-2", "offer-service-2", "callback-service-2");
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final int THREADS = Integer.getInteger("clinic.reliability.threads", 32);
    static Platform p;
    static String booking1;
    static String booking2;

    @BeforeAll
    static void secondInstances() throws Exception {
        p = Platform.get();
        Support.awaitHealthy(p, Duration.ofMinutes(3));
        for (String id : EXTRA) Support.start(p, id);
        booking1 = Support.port(p, 8081);
        booking2 = Support.port(p, 8181);
        for (int base : new int[] {8181, 8182, 8183}) {
            Result r = Support.get(Support.port(p, base) + "/actuator/health/readiness", Duration.ofSeconds(5));
            assertThat(r.status()).as("second instance on " + (base + p.offset) + ": " + r.brief()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stopSecondInstances() throws Exception {
        for (String id : EXTRA) p.clinic("stop", id);
        Support.awaitHealthy(p, Duration.ofMinutes(2));
    }

    // ---------------------------------------------------------------- a. booking storm

    @Test
    @Order(1)
    void stormOfTwoThousandAttemptsOnOverlappingSlotsNeverDoubleBooks() throws Exception {
        LocalDate day = Support.weekday(46);
        List<Slot> all = Support.availability(p, "chesterfield", "sports-massage-60", day);
        assertThat(all).as("free slots at chesterfield on " + day).isNotEmpty();
        String therapist = all.get(0).therapistId();
        // The therapist's first eight starts, 15 minutes apart: each 60-minute (+15) session overlaps its neighbours.
        List<Slot> slots = all.stream().filter(s -> s.therapistId().equals(therapist)).limit(8).toList();
        assertThat(slots).hasSize(8);
        String run = Support.runId();
        String[] doors = {booking1, booking2, p.gateway};

        List<Callable<Result>> attempts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Slot s = slots.get(i % slots.size());
            String url = doors[i % doors.length] + "/api/bookings";
            String email = "storm-" + run + "-" + i + "@example.com";
            attempts.add(() -> Support.postJson(url, Support.booking(s, email, null), CLIENT_TIMEOUT));
        }
        long t0 = System.nanoTime();
        List<Result> results = Support.runAll(THREADS, attempts);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        long created = results.stream().filter(r -> r.status() == 201).count();
        List<String> unexpected = results.stream()
                .filter(r -> r.status() != 201 && !(r.status() == 409 && "slot_unavailable".equals(r.code())))
                .map(Result::brief).distinct().limit(20).toList();
        long overlaps = Support.overlaps(p);
        long confirmedRows = count(p, "booking", "select count(*) from booking where status = 'CONFIRMED'"
                + " and therapist_id = ? and customer_email like ?", therapist, "storm-" + run + "-%");
        Measurements.record("reliability storm: attempts / threads / ms / statuses", results.size() + " / " + THREADS
                + " / " + ms + " / " + Support.histogram(results));
        Measurements.record("reliability storm: 201 / CONFIRMED rows / overlapping pairs",
                created + " / " + confirmedRows + " / " + overlaps);
        assertThat(unexpected).as("answers other than 201 or 409 slot_unavailable").isEmpty();
        assertThat(overlaps).as("overlapping CONFIRMED ranges of one therapist").isZero();
        assertThat(created).as("someone got a slot").isPositive();
        assertThat(confirmedRows).as("201 answers equal CONFIRMED rows made").isEqualTo(created);
    }

    // ---------------------------------------------------------------- b. promo cap under concurrency

    @Test
    @Order(2)
    // Switched off on 6 December after it found reservations out of step with the cap's counter (299/301
    // held against taken = 300); back on with the fix: a reservation and its places change in one
    // statement, a release cannot be cut short by its caller (docs/reliability.md, "Promo cap drift").
    void thousandConcurrentRedemptionsAgainstACapOfThreeHundredRedeemExactlyThreeHundred() throws Exception {
        List<Slot> slots = Support.freeSlots(p, "sports-massage-30", Support.LOCATIONS, Support.workingDays(56, 88), 1000);
        assertThat(slots).as("distinct free slots").hasSize(1000);
        String marketing = p.token("marketing@clinic.test");
        String code = "CAP" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", "Cap drill");
        offer.put("description", "1,000 customers, 300 places");
        offer.put("percentOff", 10);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        offer.put("endsAt", Instant.now().plus(100, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        offer.put("maxRedemptions", 300);
        var created = p.post("/api/marketing/offers", offer, "Authorization", marketing);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String offerId = created.body().get("id").asText();
        assertThat(created.body().get("status").asText()).isEqualTo("LIVE");

        // Warm the reservation path of both booking instances as live traffic would, and make sure
        // their offer-service breakers are closed: an unknown code is offer-service's answer and
        // creates nothing.
        for (String instance : new String[] {booking1, booking2}) {
            for (int i = 0; i < 20; i++) {
                Result warm = Support.postJson(instance + "/api/bookings",
                        Support.booking(slots.get(0), Support.email("warm"), "NO-SUCH-CODE"), CLIENT_TIMEOUT);
                assertThat(warm.code()).as("warm-up on " + instance + ": " + warm.brief()).isEqualTo("promo_code_unknown");
            }
        }

        // A 503 offers_unavailable means "nothing happened, try again": the burst saturates this
        // 2-core machine and booking-service sheds load rather than wait. Customers retry, so does the
        // drill (same slot and email, backing off), until each gets a definitive answer.
        java.util.concurrent.atomic.AtomicInteger retried = new java.util.concurrent.atomic.AtomicInteger();
        List<Callable<Result>> attempts = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            String url = (i % 2 == 0 ? booking1 : booking2) + "/api/bookings";
            String email = Support.email("cap");
            attempts.add(() -> {
                Result r = Support.postJson(url, Support.booking(s, email, code.toLowerCase()), CLIENT_TIMEOUT);
                for (int retry = 1; retry <= 8 && r.status() == 503; retry++) {
                    retried.incrementAndGet();
                    Thread.sleep(400L * retry);
                    r = Support.postJson(url, Support.booking(s, email, code.toLowerCase()), CLIENT_TIMEOUT);
                }
                return r;
            });
        }
        long t0 = System.nanoTime();
        List<Result> results = Support.runAll(THREADS, attempts);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        long withCode = results.stream().filter(r -> r.status() == 201 && code.equalsIgnoreCase(r.text("promoCode"))
                && r.json().path("discountPence").asLong() > 0).count();
        long exhausted = results.stream()
                .filter(r -> r.status() == 422 && "promo_code_exhausted".equals(r.code())).count();
        long taken = count(p, "offer", "select taken from offer where id = ?::uuid", offerId);
        long held = count(p, "offer", "select count(*) from reservation where offer_id = ?::uuid"
                + " and status in ('RESERVED', 'REDEEMED')", offerId);
        long bookedWithCode = count(p, "booking", "select count(*) from booking where status = 'CONFIRMED'"
                + " and upper(promo_code) = ?", code);
        long redeemed = awaitCount("offer", "select count(*) from reservation where offer_id = ?::uuid"
                + " and status = 'REDEEMED'", withCode, Duration.ofMinutes(2), offerId);
        Measurements.record("reliability promo-cap: attempts / threads / ms / final statuses / 503s retried",
                results.size() + " / " + THREADS + " / " + ms + " / " + Support.histogram(results) + " / " + retried.get());
        Measurements.record("reliability promo-cap: 201 with code / 422 exhausted / offer.taken / reservations held"
                + " / REDEEMED / bookings with code", withCode + " / " + exhausted + " / " + taken + " / " + held
                + " / " + redeemed + " / " + bookedWithCode);
        long orphaned = count(p, "offer", "select count(*) from reservation where offer_id = ?::uuid"
                + " and status = 'RESERVED'", offerId);
        // One snapshot of every counter of the offer (separate reads can straddle a release), and the
        // customers whose counted places differ from the reservations holding them: what names a drift.
        Measurements.record("reliability promo-cap: one snapshot taken / held / customers' places / by status",
                Support.rows(p, "offer", "select (select taken from offer where id = ?::uuid),"
                        + " (select count(*) from reservation where offer_id = ?::uuid and status in ('RESERVED', 'REDEEMED')),"
                        + " (select coalesce(sum(taken), 0) from offer_customer where offer_id = ?::uuid),"
                        + " (select string_agg(status || coalesce('/' || release_reason, '') || '=' || n, ', ') from"
                        + " (select status, release_reason, count(*) n from reservation where offer_id = ?::uuid"
                        + " group by 1, 2) s)", offerId, offerId, offerId, offerId));
        Measurements.record("reliability promo-cap: customers out of step (email hash / places / held / statuses)",
                Support.rows(p, "offer", "select md5(c.customer_email), c.taken, count(r.*) filter (where r.status in"
                        + " ('RESERVED', 'REDEEMED')), string_agg(r.status || '@' || r.created_at || '/' || coalesce("
                        + "r.released_at::text, '-'), ' ') from offer_customer c left join reservation r on r.offer_id ="
                        + " c.offer_id and r.customer_email = c.customer_email where c.offer_id = ?::uuid group by 1, 2"
                        + " having c.taken <> count(r.*) filter (where r.status in ('RESERVED', 'REDEEMED'))"
                        + " union all select md5(r.customer_email), 0, count(*), string_agg(r.status, ' ') from"
                        + " reservation r where r.offer_id = ?::uuid and r.status in ('RESERVED', 'REDEEMED') and not"
                        + " exists (select 1 from offer_customer c where c.offer_id = r.offer_id and c.customer_email ="
                        + " r.customer_email) group by 1", offerId, offerId));
        // The cap is filled exactly and never overshot, whatever the load: 300 places taken in SQL.
        assertThat(taken).as("offer.taken in the offer database").isEqualTo(300);
        assertThat(held).as("reservations holding a place").isEqualTo(300);
        assertThat(withCode).as("201 with the code; statuses " + Support.histogram(results)).isLessThanOrEqualTo(300);
        // Every place is accounted for: a confirmed booking with its redemption, or a reservation
        // whose booking was abandoned (its caller timed out under the burst) that expiry frees.
        assertThat(bookedWithCode).as("CONFIRMED bookings carrying the code").isEqualTo(withCode);
        assertThat(redeemed).as("reservations REDEEMED once their bookings' events arrived").isEqualTo(withCode);
        assertThat(redeemed + orphaned).as("redeemed + still-reserved places = the cap").isEqualTo(300);
        Measurements.record("reliability promo-cap: places held by abandoned reservations (freed at expiry)", orphaned);
        // Everyone else was told the code is used up, or (after the retries) that offers were
        // unavailable: nothing in between, nothing else. "Already used" is what a customer hears
        // on retrying when their own abandoned reservation holds their one use.
        assertThat(results).allSatisfy(r -> assertThat(r.status() == 201
                || (r.status() == 422 && "promo_code_exhausted".equals(r.code()))
                || (r.status() == 422 && "promo_code_already_used".equals(r.code()))
                || (r.status() == 503 && "offers_unavailable".equals(r.code()))).as(r.brief()).isTrue());
    }

    // ---------------------------------------------------------------- c. SSE across instances

    @Test
    @Order(3)
    void callbackRequestedOnInstanceOneAppearsOnTheStreamOfInstanceTwo() throws Exception {
        String staff = p.token("staff@clinic.test");
        String name = "Cross Instance " + Support.runId();
        try (SseClient sse = new SseClient(Support.port(p, 8183) + "/api/staff/callbacks/stream", staff)) {
            long waitUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!(sse.status == 200 && sse.connected) && System.nanoTime() < waitUntil) Thread.sleep(100);
            assertThat(sse.status).as("stream of callback-service-2").isEqualTo(200);

            long sent = System.nanoTime();
            Result r = Support.postJson(Support.port(p, 8083) + "/api/callbacks",
                    Support.callback(name, clinic.systemtests.Journeys.uniqueMobile(), Support.email("cross"), "doncaster"), CLIENT_TIMEOUT);
            assertThat(r.status()).as(r.brief()).isEqualTo(202);
            String id = r.text("id");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (sse.receivedAt("callback.requested", id) < 0 && System.nanoTime() < deadline) Thread.sleep(50);
            long at = sse.receivedAt("callback.requested", id);
            assertThat(at).as("callback.requested " + id + " on instance 2's stream").isPositive();
            Measurements.record("reliability sse-cross-instance: request on 1 → event on 2 (ms)", (at - sent) / 1_000_000);
            assertThat(sse.events.stream().filter(e -> "callback.requested".equals(e.name()) && e.data().contains(id))
                    .count()).as("delivered once").isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- d. scheduled transition once

    @Test
    @Order(4)
    void offerLaunchFiresOnceWithTwoOfferInstances() throws Exception {
        String marketing = p.token("marketing@clinic.test");
        String code = "ONCE" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", "Launch once drill");
        offer.put("percentOff", 5);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", Instant.now().plusSeconds(3).toString());
        offer.put("endsAt", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        var created = p.post("/api/marketing/offers", offer, "Authorization", marketing);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(created.body().get("status").asText()).isEqualTo("SCHEDULED");
        String offerId = created.body().get("id").asText();

        long launched = awaitCount("offer", "select count(*) from outbox_event where event_type = 'offer.launched.v1'"
                + " and event_key = ?", 1, Duration.ofSeconds(30), offerId);
        // Both instances run their lifecycle pass every second: give them several more chances to double it.
        Thread.sleep(6000);
        launched = count(p, "offer", "select count(*) from outbox_event where event_type = 'offer.launched.v1'"
                + " and event_key = ?", offerId);
        String status = p.get("/api/marketing/offers/" + offerId, "Authorization", marketing).body().path("status").asText();
        Measurements.record("reliability offer-launch-once: launched rows / launched by", launched + " / "
                + launchedBy(code));
        assertThat(status).isEqualTo("LIVE");
        assertThat(launched).as("offer.launched.v1 outbox rows for " + offerId).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private static long awaitCount(String db, String sql, long expected, Duration max, Object... params) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        long n = count(p, db, sql, params);
        while (n < expected && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            n = count(p, db, sql, params);
        }
        return n;
    }

    /** Which offer-service instance logged the launch (for the record; the assertion is the outbox count). */
    private static String launchedBy(String code) {
        List<String> by = new ArrayList<>();
        for (String id : List.of("offer-service", "offer-service-2")) {
            try {
                Path log = p.dataDir.resolve("logs").resolve(id + ".log");
                if (Files.exists(log) && Files.readString(log).contains(code + " (")) by.add(id);
            } catch (Exception e) {
                by.add(id + "?");
            }
        }
        return by.isEmpty() ? "unknown" : String.join(",", by);
    }
}
