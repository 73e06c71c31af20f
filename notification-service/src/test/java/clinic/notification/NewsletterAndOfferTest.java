package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.callback.CallbackTopics;
import clinic.contracts.offer.OfferTopics;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import clinic.notification.notification.Notifications;
import clinic.notification.notification.Source;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/** Double opt-in, unsubscribe, and offer announcements that reach confirmed subscribers only. */
class NewsletterAndOfferTest extends IntegrationTest {
    private static final Pattern CONFIRM = Pattern.compile("/newsletter-confirm\\.html\\?token=([A-Za-z0-9_\\-%]+)");
    private static final Pattern UNSUBSCRIBE = Pattern.compile("/newsletter-unsubscribe\\.html\\?token=([A-Za-z0-9_\\-%]+)");

    private void subscribe(String email) {
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "consent", true))
                .exchange().expectStatus().isAccepted();
    }

    private static String tokenIn(MimeMessage mail, Pattern pattern) {
        Matcher m = pattern.matcher(part(mail, "text/plain"));
        assertThat(m.find()).as("link in mail").isTrue();
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private String subscribeAndConfirm(String email) {
        subscribe(email);
        String token = tokenIn(awaitMails(email, 1).get(0), CONFIRM);
        http.get().uri(u -> u.path("/api/newsletter/confirm").queryParam("token", token).build())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CONFIRMED");
        return token;
    }

    private List<MimeMessage> offerMailsTo(String email) {
        return mailsTo(email).stream().filter(m -> "offer-announcement".equals(header(m, "X-Clinic-Template"))).toList();
    }

    @Test
    void subscribeConfirmOnceThenUnsubscribe() {
        String email = uniqueEmail("news");
        subscribe(email);
        subscribe(email); // twice: still one subscriber and one confirmation mail
        MimeMessage confirm = awaitMails(email, 1).get(0);
        assertThat(header(confirm, "X-Clinic-Template")).isEqualTo("newsletter-confirm");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> mailsTo(email).size() == 1);
        assertThat(db.sql("select count(*) n from subscriber where lower(email) = lower(:e)").bind("e", email)
                .fetch().one().block().get("n")).isEqualTo(1L);
        // Only a hash of the token is kept.
        String token = tokenIn(confirm, CONFIRM);
        assertThat(db.sql("select count(*) n from subscriber where confirm_token_hash = :t").bind("t", token)
                .fetch().one().block().get("n")).isEqualTo(0L);

        http.get().uri(u -> u.path("/api/newsletter/confirm").queryParam("token", token).build())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CONFIRMED");
        // Used once: the same link again changes nothing and says so.
        http.get().uri(u -> u.path("/api/newsletter/confirm").queryParam("token", token).build())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CONFIRMED")
                .jsonPath("$.alreadyConfirmed").isEqualTo(true);
        http.get().uri("/api/newsletter/confirm?token=made-up").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");

        String unsubscribeToken = (String) db.sql("select unsubscribe_token from subscriber where lower(email) = lower(:e)")
                .bind("e", email).fetch().one().block().get("unsubscribe_token");
        for (int i = 0; i < 2; i++) {
            http.get().uri(u -> u.path("/api/newsletter/unsubscribe").queryParam("token", unsubscribeToken).build())
                    .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNSUBSCRIBED");
        }
        http.get().uri("/api/newsletter/unsubscribe?token=made-up").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        assertThat(db.sql("select status from subscriber where lower(email) = lower(:e)").bind("e", email)
                .fetch().one().block().get("status")).isEqualTo("UNSUBSCRIBED");
    }

    @Test
    void consentMustBeGivenAndTheAddressValid() {
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", uniqueEmail("no-consent"), "consent", false))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("consent");
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", uniqueEmail("no-consent")))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("consent");
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "not-an-email", "consent", true))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("email");
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"email\":")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("malformed_request");
    }

    /**
     * The contract's consent is the JSON value {@code true}: the API fuzz found {@code "consent": 42}
     * subscribed (Jackson read any non-zero number, and the text "true", as true). Anything but a
     * JSON boolean is now 400 naming the field, and no subscriber is stored.
     */
    @Test
    void consentOfAnyOtherJsonTypeIsRefusedAndNothingIsStored() {
        String email = uniqueEmail("typed-consent");
        for (String consent : List.of("42", "1", "\"true\"", "\"yes\"", "[true]", "{\"value\":true}", "0")) {
            http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"email\":\"" + email + "\",\"consent\":" + consent + "}")
                    .exchange().expectStatus().isBadRequest().expectBody()
                    .jsonPath("$.code").isEqualTo("validation_failed")
                    .jsonPath("$.violations[0].field").isEqualTo("consent");
        }
        assertThat(db.sql("select count(*) as n from subscriber where lower(email) = lower(:e)").bind("e", email)
                .map(r -> r.get("n", Long.class)).one().block()).isZero();
        assertThat(mailsTo(email)).isEmpty();
        // The one accepted form, for contrast.
        subscribe(email);
    }

    @Test
    void anAnnouncedOfferReachesConfirmedSubscribersOnlyAndEachOnce() throws Exception {
        String confirmed = uniqueEmail("confirmed");
        String pending = uniqueEmail("pending");
        String unsubscribed = uniqueEmail("gone");
        subscribeAndConfirm(confirmed);
        subscribe(pending);
        awaitMails(pending, 1);
        subscribeAndConfirm(unsubscribed);
        String gone = (String) db.sql("select unsubscribe_token from subscriber where lower(email) = lower(:e)")
                .bind("e", unsubscribed).fetch().one().block().get("unsubscribe_token");
        http.get().uri(u -> u.path("/api/newsletter/unsubscribe").queryParam("token", gone).build())
                .exchange().expectStatus().isOk();

        String eventId = UUID.randomUUID().toString();
        var launched = fixture(OfferTopics.LAUNCHED, n -> n.put("offerId", UUID.randomUUID().toString()));
        publish(OfferTopics.TOPIC, launched.get("offerId").asText(), OfferTopics.LAUNCHED, eventId, launched);
        publish(OfferTopics.TOPIC, launched.get("offerId").asText(), OfferTopics.LAUNCHED, eventId, launched);
        // Not announced: nobody hears of it.
        var quiet = fixture(OfferTopics.LAUNCHED, n -> n.put("offerId", UUID.randomUUID().toString())
                .put("announce", false).put("title", "Quiet offer"));
        publish(OfferTopics.TOPIC, quiet.get("offerId").asText(), OfferTopics.LAUNCHED, UUID.randomUUID().toString(), quiet);

        await().atMost(Duration.ofSeconds(30)).until(() -> offerMailsTo(confirmed).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                offerMailsTo(confirmed).size() == 1 && offerMailsTo(pending).isEmpty()
                        && offerMailsTo(unsubscribed).isEmpty());
        assertThat(notificationsTo(pending)).extracting(r -> r.get("template")).containsExactly("newsletter-confirm");

        MimeMessage offer = offerMailsTo(confirmed).get(0);
        assertThat(offer.getSubject()).isEqualTo("10% off sports massage this February");
        String text = part(offer, "text/plain");
        assertThat(text).contains("10% off with code FEB10")
                .contains("from Monday 1 February 2027 until Sunday 28 February 2027");
        // The link in the mail opens the page; List-Unsubscribe is the API for one-click POSTs.
        String unsubscribeToken = tokenIn(offer, UNSUBSCRIBE);
        assertThat(header(offer, "List-Unsubscribe")).startsWith("<https://clinic.example/api/newsletter/unsubscribe?token=");
        http.post().uri(u -> u.path("/api/newsletter/unsubscribe").queryParam("token", unsubscribeToken).build())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNSUBSCRIBED");

        // The next announcement no longer reaches them.
        var next = fixture(OfferTopics.LAUNCHED, n -> n.put("offerId", UUID.randomUUID().toString())
                .put("title", "Spring offer"));
        publish(OfferTopics.TOPIC, next.get("offerId").asText(), OfferTopics.LAUNCHED, UUID.randomUUID().toString(), next);
        String marker = uniqueEmail("marker");
        subscribeAndConfirm(marker); // proof the pipeline moved on past the "Spring offer" event
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> offerMailsTo(confirmed).size() == 1);
    }

    @Test
    void aCallbackRequestTellsTheCustomerAlertsStaffAndStartsAnOptedInSubscription() {
        String email = uniqueEmail("caller");
        var body = fixture(CallbackTopics.REQUESTED, n -> n.put("callbackId", UUID.randomUUID().toString())
                .put("email", email).put("locationId", "doncaster").put("message", "<b>Knee</b> & hip"));
        publish(CallbackTopics.TOPIC, body.get("callbackId").asText(), CallbackTopics.REQUESTED,
                UUID.randomUUID().toString(), body);

        List<MimeMessage> mails = awaitMails(email, 2);
        assertThat(mails).extracting(m -> header(m, "X-Clinic-Template"))
                .containsExactlyInAnyOrder("callback-received", "newsletter-confirm");
        MimeMessage staff = await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo("doncaster@staff.clinic.example").stream()
                .filter(m -> part(m, "text/plain").contains(body.get("callbackId").asText())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(header(staff, "X-Clinic-Template")).isEqualTo("callback-task");
        assertThat(part(staff, "text/plain")).contains("+447700900456").contains("<b>Knee</b> & hip");
        assertThat(part(staff, "text/html")).contains("&lt;b&gt;Knee&lt;/b&gt; &amp; hip");
        assertThat(db.sql("select status, consent_source, policy_version from subscriber where lower(email) = lower(:e)")
                .bind("e", email).fetch().one().block())
                .containsEntry("status", "PENDING").containsEntry("consent_source", "callback")
                .containsEntry("policy_version", "2026-01");

        // Without a location the alert goes to the shared inbox; without opt-in no subscription.
        String other = uniqueEmail("caller2");
        var second = fixture(CallbackTopics.REQUESTED, n -> n.put("callbackId", UUID.randomUUID().toString())
                .put("email", other).put("marketingOptIn", false).remove("locationId"));
        publish(CallbackTopics.TOPIC, second.get("callbackId").asText(), CallbackTopics.REQUESTED,
                UUID.randomUUID().toString(), second);
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo("callbacks@staff.clinic.example").stream()
                .anyMatch(m -> part(m, "text/plain").contains(second.get("callbackId").asText())));
        assertThat(awaitMails(other, 1)).extracting(m -> header(m, "X-Clinic-Template"))
                .containsExactly("callback-received");
        assertThat(db.sql("select count(*) n from subscriber where lower(email) = lower(:e)").bind("e", other)
                .fetch().one().block().get("n")).isEqualTo(0L);
    }

    @Autowired Notifications notifications;

    @Test
    void marketingMailToSomeoneWhoIsNotAConfirmedSubscriberAtSendTimeIsSuppressed() {
        String stranger = uniqueEmail("stranger");
        notifications.marketingEmail(new Source("test:" + UUID.randomUUID(), "test.marketing"), "offer-announcement",
                stranger, Map.of("title", "T", "description", "D", "saving", "10% off", "code", "X", "from", "a",
                        "until", "b", "unsubscribeUrl", "https://clinic.example/u"), "https://clinic.example/u").block();

        await().atMost(Duration.ofSeconds(10)).until(() -> "SUPPRESSED".equals(notificationsTo(stranger).get(0).get("status")));
        assertThat(mailsTo(stranger)).isEmpty();
    }

    @Test
    void staffReadTheDeliveryLogNewestFirst() {
        String email = uniqueEmail("log");
        subscribeAndConfirm(email);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(notificationsTo(email).get(0).get("status")));

        http.get().uri("/api/staff/notifications?recipient=" + email).exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        http.get().uri("/api/staff/notifications").header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        http.get().uri("/api/staff/notifications?limit=0").header("Authorization", "Bearer " + token("STAFF"))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed").jsonPath("$.violations[0].field").isEqualTo("limit");
        http.get().uri("/api/staff/notifications?limit=abc").header("Authorization", "Bearer " + token("STAFF"))
                .exchange().expectStatus().isBadRequest();

        String id = notificationsTo(email).get(0).get("id").toString();
        http.get().uri(u -> u.path("/api/staff/notifications").queryParam("recipient", email.toUpperCase())
                        .queryParam("limit", 10).build())
                .header("Authorization", "Bearer " + token("STAFF"))
                .exchange().expectStatus().isOk().expectBody()
                // The confirmation, and (newest, first) the welcome its confirming click sent.
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].template").isEqualTo("newsletter-welcome")
                .jsonPath("$[1].id").isEqualTo(id)
                .jsonPath("$[1].eventType").isEqualTo("newsletter.subscribed")
                .jsonPath("$[1].eventId").isNotEmpty()
                .jsonPath("$[1].channel").isEqualTo("EMAIL")
                .jsonPath("$[1].recipient").isEqualTo(email)
                .jsonPath("$[1].template").isEqualTo("newsletter-confirm")
                .jsonPath("$[1].status").isEqualTo("SENT")
                .jsonPath("$[1].attempts").isEqualTo(1)
                .jsonPath("$[1].createdAt").isNotEmpty()
                .jsonPath("$[1].sentAt").isNotEmpty();

        List<?> all = http.get().uri("/api/staff/notifications?limit=5").header("Authorization", "Bearer " + token("ADMIN"))
                .exchange().expectStatus().isOk().expectBodyList(Map.class).returnResult().getResponseBody();
        assertThat(all).hasSizeLessThanOrEqualTo(5).isNotEmpty();
        List<String> created = all.stream().map(m -> (String) ((Map<?, ?>) m).get("createdAt")).toList();
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }
}
