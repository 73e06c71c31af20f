package clinic.offer.offers;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.Fixtures;
import clinic.contracts.offer.OfferTopics;
import clinic.offer.OfferServiceTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Marketing's API through HTTP: access, validation, creation, conflicts, listing, ending. */
class MarketingApiTest extends OfferServiceTestBase {
    private final Instant inAWeek = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void withoutATokenIs401AndWithAStaffTokenIs403() {
        var body = offer(uniqueCode("AUTH"), inAWeek, inAWeek.plus(Duration.ofDays(1)));
        postOffer(body).expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized").jsonPath("$.status").isEqualTo(401);
        postOffer(body, "STAFF").expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        web.get().uri("/api/marketing/offers").exchange().expectStatus().isUnauthorized();
        web.get().uri("/api/marketing/offers").header("Authorization", "Bearer " + token("STAFF")).exchange()
                .expectStatus().isForbidden();
        // ADMIN may do what MARKETING may.
        postOffer(body, "ADMIN").expectStatus().isCreated();
    }

    @Test
    void everyBadFieldIsNamed() {
        assertViolations(Map.of(), "code", "title", "startsAt", "endsAt");
        var base = offer(uniqueCode("BAD"), inAWeek, inAWeek.plus(Duration.ofDays(1)));

        assertViolations(with(base, "code", "x!"), "code");
        assertViolations(with(base, "code", "A".repeat(33)), "code");
        assertViolations(with(base, "percentOff", 0), "percentOff");
        assertViolations(with(base, "percentOff", 101), "percentOff");
        assertViolations(with(with(base, "percentOff", null), "amountOffPence", null), "percentOff");
        assertViolations(with(base, "amountOffPence", 500), "amountOffPence");
        assertViolations(with(with(base, "percentOff", null), "amountOffPence", 0), "amountOffPence");
        assertViolations(with(base, "treatmentIds", List.of("sports-massage-60")), "treatmentIds");
        assertViolations(with(base, "treatmentCategory", null), "treatmentCategory");
        assertViolations(with(base, "endsAt", inAWeek.toString()), "endsAt");
        assertViolations(with(base, "endsAt", inAWeek.minusSeconds(60).toString()), "endsAt");
        var past = Instant.now().minus(Duration.ofDays(3));
        assertViolations(with(with(base, "startsAt", past.toString()), "endsAt", past.plusSeconds(3600).toString()), "endsAt");
        assertViolations(with(base, "maxRedemptions", 0), "maxRedemptions");
        assertViolations(with(base, "maxRedemptionsPerCustomer", 0), "maxRedemptionsPerCustomer");
        assertViolations(with(base, "minimumPricePence", -1), "minimumPricePence");
        assertViolations(with(base, "percentOff", "ten"), "percentOff");
        assertViolations(with(base, "startsAt", "next tuesday"), "startsAt");

        postOffer("{\"code\": ", "MARKETING").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
    }

    @Test
    void idsUnknownToTheCatalogueAndNumbersThatCannotBeKeptExactlyAreNamedAndNothingIsStored() {
        String code = uniqueCode("EXACT");
        var base = offer(code, inAWeek, inAWeek.plus(Duration.ofDays(1)));

        assertViolationMessage(with(base, "locationIds", List.of("sheffield", "atlantis")), "locationIds[1]",
                "is not a known location");
        assertViolationMessage(with(with(base, "treatmentCategory", null), "treatmentIds",
                List.of("sports-massage-60", "sports-massage-90")), "treatmentIds[1]", "is not a known treatment");
        assertViolationMessage(with(base, "treatmentCategory", "astrology"), "treatmentCategory",
                "is not the category of any known treatment");
        assertViolationMessage(with(base, "percentOff", 2.5), "percentOff", "must be a whole number");
        assertViolationMessage(with(with(base, "percentOff", null), "amountOffPence", 1.5), "amountOffPence",
                "must be a whole number");
        assertViolationMessage(with(base, "maxRedemptions", 10.5), "maxRedemptions", "must be a whole number");
        assertViolationMessage(with(base, "maxRedemptionsPerCustomer", 1.01), "maxRedemptionsPerCustomer",
                "must be a whole number");
        assertViolationMessage(with(base, "minimumPricePence", 999.99), "minimumPricePence", "must be a whole number");
        assertViolationMessage(with(with(base, "percentOff", null), "amountOffPence", new java.math.BigDecimal("1e30")),
                "amountOffPence", "is too large");
        // Every mistake of one body is named at once: syntax, scope and catalogue alike.
        var several = with(with(with(base, "amountOffPence", 100), "locationIds", List.of("atlantis")), "endsAt",
                inAWeek.toString());
        assertViolations(several, "amountOffPence", "locationIds[0]", "endsAt");
        assertThat(sqlLong("select count(*) from offer where code = ?", code)).isZero();

        // A whole number written with a decimal point is the same number: kept, not refused.
        assertThat(createOffer(with(base, "percentOff", 15.0))).containsEntry("percentOff", 15);
    }

    @Test
    void creatingAndEndingAnOfferIsInTheAuditLogWithWhoAndWhat() {
        var scheduled = createOffer(with(offer(uniqueCode("AUD"), inAWeek, inAWeek.plus(Duration.ofDays(1))),
                "maxRedemptions", 20));
        var liveBody = with(offer(uniqueCode("AUDL"), Instant.now().minusSeconds(5), inAWeek), "percentOff", null);
        liveBody.put("amountOffPence", 500);
        liveBody.put("locationIds", List.of("sheffield"));
        var live = createOffer(liveBody);
        for (int i = 0; i < 2; i++) {
            web.post().uri("/api/marketing/offers/{id}/end", live.get("id"))
                    .header("Authorization", "Bearer " + token("MARKETING")).exchange().expectStatus().isOk();
        }

        // Marketing may not read the audit log; an admin may.
        web.get().uri("/api/admin/audit").header("Authorization", "Bearer " + token("MARKETING")).exchange()
                .expectStatus().isForbidden();
        var entries = web.get().uri("/api/admin/audit?actor=tester@clinic.test&limit=1000")
                .header("Authorization", "Bearer " + token("ADMIN")).exchange().expectStatus().isOk()
                .expectBodyList(JSON).returnResult().getResponseBody();

        var ofScheduled = entries.stream().filter(e -> ("offer/" + scheduled.get("id")).equals(e.get("target"))).toList();
        assertThat(ofScheduled).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("actor", "tester@clinic.test").containsEntry("action", "offer.scheduled")
                    .containsKey("at");
            assertThat(e.get("details")).isEqualTo(Map.of("code", scheduled.get("code"),
                    "startsAt", scheduled.get("startsAt"), "endsAt", scheduled.get("endsAt"), "percentOff", 10,
                    "treatmentCategory", "sports-massage", "maxRedemptions", 20));
        });
        // Newest first; ending twice ended it once.
        var ofLive = entries.stream().filter(e -> ("offer/" + live.get("id")).equals(e.get("target"))).toList();
        assertThat(ofLive).extracting(e -> e.get("action")).containsExactly("offer.ended", "offer.launched");
        assertThat(ofLive).allSatisfy(e -> assertThat(e.get("details")).isEqualTo(Map.of("code", live.get("code"),
                "startsAt", live.get("startsAt"), "endsAt", live.get("endsAt"), "amountOffPence", 500,
                "treatmentCategory", "sports-massage", "locationIds", List.of("sheffield"))));
        assertThat(sqlLong("select count(*) from audit_entry where target = ?", "offer/" + live.get("id"))).isEqualTo(2);
    }

    @Test
    void aFutureOfferIsScheduledAndAnOfferWhoseWindowHasBegunIsLiveAndLaunchedOnce() throws Exception {
        String code = uniqueCode("feb");
        var scheduled = createOffer(offer(code.toLowerCase(), inAWeek, inAWeek.plus(Duration.ofDays(28))));
        assertThat(scheduled).containsEntry("status", "SCHEDULED").containsEntry("code", code)
                .containsEntry("redemptions", 0).containsEntry("maxRedemptionsPerCustomer", 1);
        assertThat(events(OfferTopics.LAUNCHED, scheduled.get("id"))).isZero();

        var body = with(offer(uniqueCode("NOW"), Instant.now().minusSeconds(60), inAWeek), "announce", true);
        body.put("locationIds", List.of("sheffield", "doncaster"));
        body.put("maxRedemptions", 100);
        var live = createOffer(body);
        assertThat(live).containsEntry("status", "LIVE").containsEntry("announce", true)
                .containsEntry("locationIds", List.of("sheffield", "doncaster")).containsEntry("placesLeft", 100);
        assertThat(events(OfferTopics.LAUNCHED, live.get("id"))).isEqualTo(1);

        // The launch is written in the contract's shape: the fields of the golden fixture, no others.
        String payload = (String) sql("select payload from outbox_event where event_type = ? and event_key = ?",
                OfferTopics.LAUNCHED, live.get("id")).get(0).get("payload");
        List<String> expected = new ArrayList<>();
        MAPPER.readTree(Fixtures.json(OfferTopics.LAUNCHED)).fieldNames().forEachRemaining(expected::add);
        List<String> actual = new ArrayList<>();
        MAPPER.readTree(payload).fieldNames().forEachRemaining(actual::add);
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(MAPPER.readTree(payload).get("announce").asBoolean()).isTrue();
    }

    @Test
    void aCodeIsUniqueAmongOverlappingOffersWhateverItsCase() {
        String code = uniqueCode("DUP");
        Instant start = inAWeek;
        Instant end = start.plus(Duration.ofDays(10));
        createOffer(offer(code, start, end));

        postOffer(offer(code.toLowerCase(), start.plus(Duration.ofDays(9)), end.plus(Duration.ofDays(5))), "MARKETING")
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("offer_code_taken");
        // Windows are half-open: the next offer may start the moment the last one ends.
        createOffer(offer(code, end, end.plus(Duration.ofDays(3))));
        assertThat(sqlLong("select count(*) from offer where code = ?", code)).isEqualTo(2);
    }

    @Test
    void concurrentCreationsOfOneCodeLeaveExactlyOneOffer() {
        String code = uniqueCode("RACE");
        var body = offer(code, inAWeek, inAWeek.plus(Duration.ofDays(1)));
        List<Integer> statuses = reactor.core.publisher.Flux.range(0, 10)
                .flatMap(i -> org.springframework.web.reactive.function.client.WebClient.create("http://127.0.0.1:" + port)
                        .post().uri("/api/marketing/offers").header("Authorization", "Bearer " + token("MARKETING"))
                        .bodyValue(body).exchangeToMono(r -> reactor.core.publisher.Mono.just(r.statusCode().value())))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        assertThat(sqlLong("select count(*) from offer where code = ?", code)).isEqualTo(1);
    }

    @Test
    void endingAnOfferPublishesOnceAndFreesItsCode() {
        String code = uniqueCode("END");
        var created = createOffer(offer(code, Instant.now().minusSeconds(5), inAWeek));
        String id = (String) created.get("id");

        for (int i = 0; i < 2; i++) {
            web.post().uri("/api/marketing/offers/{id}/end", id).header("Authorization", "Bearer " + token("MARKETING"))
                    .exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("ENDED")
                    .jsonPath("$.endedBy").isEqualTo("tester@clinic.test");
        }
        assertThat(events(OfferTopics.ENDED, id)).isEqualTo(1);
        // An ended offer no longer holds its code: marketing can put a corrected one in its place.
        createOffer(offer(code, Instant.now().minusSeconds(1), inAWeek));

        web.get().uri("/api/offers").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + id + "')]").doesNotExist();
    }

    @Test
    void anExpiredOfferCannotBeEndedAndUnknownIdsAre404() {
        var created = createOffer(offer(uniqueCode("OLD"), inAWeek, inAWeek.plus(Duration.ofDays(1))));
        clock.setTo(inAWeek.plus(Duration.ofDays(2)));
        web.get().uri("/api/marketing/offers/{id}", created.get("id"))
                .header("Authorization", "Bearer " + token("MARKETING")).exchange().expectStatus().isOk();
        awaitStatus((String) created.get("id"), "EXPIRED");
        web.post().uri("/api/marketing/offers/{id}/end", created.get("id"))
                .header("Authorization", "Bearer " + token("MARKETING")).exchange()
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("offer_already_over");

        for (String unknown : List.of(UUID.randomUUID().toString(), "not-an-id")) {
            web.get().uri("/api/marketing/offers/{id}", unknown).header("Authorization", "Bearer " + token("MARKETING"))
                    .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
            web.post().uri("/api/marketing/offers/{id}/end", unknown).header("Authorization", "Bearer " + token("MARKETING"))
                    .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        }
    }

    @Test
    void marketingSeesEveryOfferWithStatusAndRedemptionsAndCustomersSeeTheUsableOnes() {
        String code = uniqueCode("LIST");
        var live = createOffer(with(offer(code, Instant.now().minusSeconds(5), inAWeek), "maxRedemptions", 5));
        String id = (String) live.get("id");
        reserve(reservation(code, "list@example.com", Instant.now().plus(Duration.ofDays(2)))).expectStatus().isOk();

        var mine = web.get().uri("/api/marketing/offers").header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isOk()
                .expectBodyList(JSON).returnResult().getResponseBody().stream()
                .filter(o -> id.equals(o.get("id"))).findFirst().orElseThrow();
        assertThat(mine).containsEntry("status", "LIVE").containsEntry("redemptions", 0)
                .containsEntry("pendingReservations", 1).containsEntry("placesLeft", 4);

        var scheduled = createOffer(offer(uniqueCode("SOON"), inAWeek, inAWeek.plus(Duration.ofDays(1))));
        var open = web.get().uri("/api/offers").exchange().expectStatus().isOk()
                .expectBodyList(JSON).returnResult().getResponseBody();
        assertThat(open).extracting(o -> o.get("id")).contains(id, scheduled.get("id"));
        assertThat(open).allSatisfy(o -> assertThat(o.get("status")).isIn("SCHEDULED", "LIVE"));
        var shown = open.stream().filter(o -> id.equals(o.get("id"))).findFirst().orElseThrow();
        assertThat(shown).containsEntry("percentOff", 10).containsEntry("treatmentCategory", "sports-massage")
                .containsEntry("usedUp", false)
                .doesNotContainKeys("amountOffPence", "treatmentIds", "redemptions", "placesLeft");
    }

    @Test
    void aScheduledOfferCanBeEditedOrWithdrawnBeforeItStartsAndNotAfter() {
        String code = uniqueCode("EDIT");
        var created = createOffer(with(offer(code, inAWeek, inAWeek.plus(Duration.ofDays(3))), "maxRedemptions", 10));
        String id = (String) created.get("id");
        assertThat(created).containsEntry("status", "SCHEDULED");

        String newCode = uniqueCode("EDITED");
        var changed = offer(newCode.toLowerCase(), inAWeek.plus(Duration.ofDays(1)), inAWeek.plus(Duration.ofDays(5)));
        changed.put("title", "Edited title");
        changed.remove("percentOff");
        changed.put("amountOffPence", 500);
        changed.put("locationIds", List.of("sheffield"));
        var edited = put(id, changed, "MARKETING").expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(edited).containsEntry("id", id).containsEntry("code", newCode).containsEntry("title", "Edited title")
                .containsEntry("amountOffPence", 500).containsEntry("status", "SCHEDULED")
                .containsEntry("startsAt", inAWeek.plus(Duration.ofDays(1)).toString())
                .containsEntry("locationIds", List.of("sheffield")).doesNotContainKey("percentOff");
        assertThat(sql("select code, percent_off, amount_off_pence from offer where id = ?::uuid", id).get(0))
                .containsEntry("code", newCode).containsEntry("amount_off_pence", 500L);
        // The old code is free again; nothing was published (the launch, at the start, says what it is then).
        createOffer(offer(code, inAWeek, inAWeek.plus(Duration.ofDays(2)))); // overlaps the edited window
        assertThat(events(OfferTopics.LAUNCHED, id)).isZero();
        assertThat(sqlLong("select count(*) from audit_entry where target = ? and action = 'offer.edited'", "offer/" + id))
                .isEqualTo(1);

        // Bad edits are named and change nothing; only marketing may edit; unknown ids are 404.
        var bad = with(changed, "startsAt", Instant.now().minusSeconds(60).toString());
        var problem = put(id, with(bad, "locationIds", List.of("nowhere")), "MARKETING").expectStatus().isBadRequest()
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(problem.get("violations").toString()).contains("field=startsAt", "field=locationIds[0]");
        put(id, with(changed, "code", code), "MARKETING").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("offer_code_taken");
        put(id, changed, "STAFF").expectStatus().isForbidden();
        put(UUID.randomUUID().toString(), changed, "MARKETING").expectStatus().isNotFound();
        assertThat(sql("select code from offer where id = ?::uuid", id).get(0)).containsEntry("code", newCode);

        // Withdrawn before it starts: ended, and no longer editable.
        web.post().uri("/api/marketing/offers/{id}/end", id).header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("ENDED");
        put(id, changed, "MARKETING").expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("offer_not_scheduled");

        // A live offer cannot be edited either.
        String liveCode = uniqueCode("LIVEEDIT");
        var live = createOffer(offer(liveCode, Instant.now().minusSeconds(5), inAWeek));
        put((String) live.get("id"), offer(liveCode, inAWeek, inAWeek.plus(Duration.ofDays(1))), "MARKETING")
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("offer_not_scheduled");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec put(String id, Object body, String role) {
        return web.put().uri("/api/marketing/offers/{id}", id).header("Authorization", "Bearer " + token(role))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void anOfferWhosePlacesAreAllHeldIsListedAsUsedUpUntilOneIsGivenBack() {
        String code = uniqueCode("FULL");
        var live = createOffer(with(offer(code, Instant.now().minusSeconds(5), inAWeek), "maxRedemptions", 1));
        String id = (String) live.get("id");
        var taken = reservation(code, "first@example.com", Instant.now().plus(Duration.ofDays(2)));
        reserve(taken).expectStatus().isOk();
        assertThat(publicOffer(id)).containsEntry("usedUp", true).containsEntry("status", "LIVE");

        web.post().uri("/internal/reservations/{id}/release", taken.get("bookingId"))
                .header("Authorization", "Bearer " + token("SERVICE")).exchange().expectStatus().isOk();
        assertThat(publicOffer(id)).containsEntry("usedUp", false);
    }

    private Map<String, Object> publicOffer(String id) {
        return web.get().uri("/api/offers").exchange().expectStatus().isOk()
                .expectBodyList(JSON).returnResult().getResponseBody().stream()
                .filter(o -> id.equals(o.get("id"))).findFirst().orElseThrow();
    }

    private void awaitStatus(String id, String status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                status.equals(sql("select status from offer where id = ?::uuid", id).get(0).get("status")));
    }

    private void assertViolationMessage(Object body, String field, String message) {
        var problem = postOffer(body, "MARKETING").expectStatus().isBadRequest()
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(problem).containsEntry("code", "validation_failed");
        @SuppressWarnings("unchecked")
        var violations = (List<Map<String, Object>>) problem.get("violations");
        assertThat(violations).as("violations of %s", body).contains(Map.of("field", field, "message", message));
    }

    private void assertViolations(Object body, String... fields) {
        var problem = postOffer(body, "MARKETING").expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(problem).containsEntry("code", "validation_failed").containsEntry("status", 400);
        @SuppressWarnings("unchecked")
        var violations = (List<Map<String, Object>>) problem.get("violations");
        assertThat(violations).extracting(v -> v.get("field")).as("violations of %s", body).contains((Object[]) fields);
    }
}
