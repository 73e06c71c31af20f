package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Contract 1.1 "Newsletter links": mails link to pages, the pages' buttons POST, confirmation links
 * expire after 7 days (the service's clock moved, not waited for), a second confirmation says so.
 */
class NewsletterLinksTest extends IntegrationTest {
    private static final Pattern CONFIRM_PAGE =
            Pattern.compile("https://clinic\\.example/newsletter-confirm\\.html\\?token=([A-Za-z0-9_\\-%]+)");

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private void subscribe(String email) {
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "consent", true))
                .exchange().expectStatus().isAccepted();
    }

    private static String confirmToken(MimeMessage mail) {
        for (String type : new String[] {"text/plain", "text/html"}) {
            Matcher m = CONFIRM_PAGE.matcher(part(mail, type));
            assertThat(m.find()).as("the %s part links to the confirmation page", type).isTrue();
            if (type.equals("text/plain")) return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        }
        throw new AssertionError("unreachable");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(String path, String token) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(token == null ? Map.of() : Map.of("token", token)).exchange();
    }

    private String status(String email) {
        return (String) db.sql("select status from subscriber where lower(email) = lower(:e)").bind("e", email)
                .fetch().one().block().get("status");
    }

    @Test
    void theButtonsConfirmOnceAndUnsubscribe() throws Exception {
        String email = uniqueEmail("button");
        subscribe(email);
        String token = confirmToken(awaitMails(email, 1).get(0));
        assertThat(status(email)).isEqualTo("PENDING");

        post("/api/newsletter/confirm", token).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("CONFIRMED").jsonPath("$.alreadyConfirmed").doesNotExist();
        assertThat(status(email)).isEqualTo("CONFIRMED");
        post("/api/newsletter/confirm", token).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("CONFIRMED").jsonPath("$.alreadyConfirmed").isEqualTo(true);
        // The click that confirmed sends one short welcome with the unsubscribe page; the second click none.
        MimeMessage welcome = awaitMails(email, 2).get(1);
        assertThat(header(welcome, "X-Clinic-Template")).isEqualTo("newsletter-welcome");
        assertThat(welcome.getSubject()).isEqualTo("Welcome to the Peak Motion Clinic newsletter");
        String unsubscribePage = "https://clinic.example/newsletter-unsubscribe.html?token=";
        assertThat(part(welcome, "text/plain").replace("\r\n", "\n"))
                .contains("You can unsubscribe at any time, with one click, here:\n" + unsubscribePage);
        assertThat(part(welcome, "text/html")).contains("<a href=\"" + unsubscribePage);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> mailsTo(email).size() == 2);

        post("/api/newsletter/confirm", "made-up").expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("not_found");
        post("/api/newsletter/confirm", null).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed").jsonPath("$.violations[0].field").isEqualTo("token");

        String unsubscribeToken = (String) db.sql("select unsubscribe_token from subscriber where lower(email) = lower(:e)")
                .bind("e", email).fetch().one().block().get("unsubscribe_token");
        post("/api/newsletter/unsubscribe", unsubscribeToken).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UNSUBSCRIBED");
        assertThat(status(email)).isEqualTo("UNSUBSCRIBED");
        post("/api/newsletter/unsubscribe", "made-up").expectStatus().isNotFound();
        // After an unsubscribe the old confirmation link confirms nothing.
        post("/api/newsletter/confirm", token).expectStatus().isNotFound();
        assertThat(status(email)).isEqualTo("UNSUBSCRIBED");

        // RFC 8058 one-click (form body, token in the URL) still works.
        subscribe(email);
        String again = confirmToken(awaitMails(email, 3).get(2));
        post("/api/newsletter/confirm", again).expectStatus().isOk();
        http.post().uri(u -> u.path("/api/newsletter/unsubscribe").queryParam("token", unsubscribeToken).build())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("List-Unsubscribe=One-Click")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNSUBSCRIBED");
        assertThat(status(email)).isEqualTo("UNSUBSCRIBED");
    }

    @Test
    void aConfirmationLinkExpiresAfterSevenDaysAndSigningUpAgainSendsANewOne() {
        String email = uniqueEmail("late");
        subscribe(email);
        String first = confirmToken(awaitMails(email, 1).get(0));

        // One minute before the end of the 7 days a link still works (shown on a second person).
        String onTime = uniqueEmail("ontime");
        subscribe(onTime);
        String onTimeToken = confirmToken(awaitMails(onTime, 1).get(0));
        Instant subscribed = Instant.now();

        clock.setTo(subscribed.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(1)));
        post("/api/newsletter/confirm", first).expectStatus().isEqualTo(410).expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON).expectBody()
                .jsonPath("$.code").isEqualTo("token_expired")
                .jsonPath("$.status").isEqualTo(410)
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("sign up again"));
        http.get().uri(u -> u.path("/api/newsletter/confirm").queryParam("token", first).build())
                .exchange().expectStatus().isEqualTo(410);
        assertThat(status(email)).isEqualTo("PENDING");

        // Signing up again starts over: a new mail with a new link, which works; the old one still does not.
        subscribe(email);
        String second = confirmToken(awaitMails(email, 2).get(1));
        assertThat(second).isNotEqualTo(first);
        post("/api/newsletter/confirm", first).expectStatus().isNotFound();
        post("/api/newsletter/confirm", second).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("CONFIRMED");
        assertThat(status(email)).isEqualTo("CONFIRMED");

        clock.setTo(subscribed.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(1)));
        post("/api/newsletter/confirm", onTimeToken).expectStatus().isOk();
        assertThat(status(onTime)).isEqualTo("CONFIRMED");
    }
}
