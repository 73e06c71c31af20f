package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Contract 1.1 "Newsletter links": a visitor signs up, the mail's link opens a page (opening it, as
 * a mail scanner does, confirms nothing), the button confirms; a second press says "already"; the
 * unsubscribe link of an offer mail opens a page whose button unsubscribes, and List-Unsubscribe
 * stays the one-click API.
 */
class NewsletterWebIT {
    private static final Pattern CONFIRM = Pattern.compile("https?://[^/\\s\"]+(/newsletter-confirm\\.html\\?token=[A-Za-z0-9_%\\-]+)");
    private static final Pattern UNSUBSCRIBE = Pattern.compile("https?://[^/\\s\"]+(/newsletter-unsubscribe\\.html\\?token=[A-Za-z0-9_%\\-]+)");

    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "newsletter");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void signUpConfirmWithTheButtonAndUnsubscribeThroughThePage() throws Exception {
        String email = "news-web-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        browser.go("newsletter.html");
        browser.type(By.id("email"), email);
        browser.driver.findElement(By.id("consent")).click();
        browser.submitAndWait(By.id("submit"), By.id("done"), By.id("form-notice"));

        JsonNode mail = awaitMail(email, "newsletter-confirm");
        String confirmPath = link(mail, CONFIRM);
        assertThat(mail.toString()).doesNotContain("/api/newsletter/confirm");

        // Opening the link is a GET of a page: like a scanner's prefetch, it changes nothing.
        browser.go(confirmPath.substring(1));
        browser.waitVisible(By.id("act"));
        browser.shot("confirm-page-opened");
        assertThat(subscriberStatus(email)).isEqualTo("PENDING");

        browser.driver.findElement(By.id("act")).click();
        browser.waitText(By.id("outcome"), "You’re subscribed");
        browser.shot("confirmed");
        assertThat(subscriberStatus(email)).isEqualTo("CONFIRMED");

        // The same link again (a second click, another device): no error page.
        browser.go(confirmPath.substring(1));
        browser.waitVisible(By.id("act")).click();
        browser.waitText(By.id("outcome"), "already subscribed");
        assertThat(browser.driver.findElement(By.id("outcome-card")).getDomAttribute("data-outcome")).isEqualTo("ok");

        // An announced offer reaches the confirmed subscriber with an unsubscribe link to the page.
        launchAnnouncedOffer();
        JsonNode offerMail = awaitMail(email, "offer-announcement");
        String unsubscribePath = link(offerMail, UNSUBSCRIBE);
        String listUnsubscribe = header(offerMail, "List-Unsubscribe");
        assertThat(listUnsubscribe).contains("/api/newsletter/unsubscribe?token=");
        assertThat(header(offerMail, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");

        browser.go(unsubscribePath.substring(1));
        browser.waitVisible(By.id("act"));
        assertThat(subscriberStatus(email)).isEqualTo("CONFIRMED");
        browser.driver.findElement(By.id("act")).click();
        browser.waitText(By.id("outcome"), "You’ve been unsubscribed");
        browser.shot("unsubscribed");
        assertThat(subscriberStatus(email)).isEqualTo("UNSUBSCRIBED");

        // A made-up token: the page says so next to a way forward, not a raw error.
        browser.go("newsletter-confirm.html?token=made-up");
        browser.waitVisible(By.id("act")).click();
        browser.waitText(By.id("outcome"), "isn’t valid");
        assertThat(browser.driver.findElement(By.cssSelector("#outcome a")).getDomAttribute("href")).isEqualTo("newsletter.html");
    }

    private static JsonNode awaitMail(String to, String template) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode m : platform.mail(to)) {
                if (template.equals(header(m, "X-Clinic-Template"))) return m;
            }
            return null;
        }, java.util.Objects::nonNull);
    }

    private static String header(JsonNode mail, String name) {
        JsonNode headers = mail.get("headers");
        if (headers == null) return null;
        for (var it = headers.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                JsonNode v = e.getValue();
                return v.isArray() ? v.get(0).asText() : v.asText();
            }
        }
        return null;
    }

    /** The path and query of the first link matching {@code p} in any text part of the mail. */
    private static String link(JsonNode mail, Pattern p) {
        for (JsonNode part : mail.get("parts")) {
            Matcher m = p.matcher(part.path("content").asText());
            if (m.find()) return m.group(1);
        }
        throw new AssertionError("no link " + p + " in " + mail);
    }

    private static String subscriberStatus(String email) throws Exception {
        try (Connection c = platform.db("notification");
             PreparedStatement ps = c.prepareStatement("select status from subscriber where lower(email) = lower(?)")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void launchAnnouncedOffer() {
        // Live from now: an offer is announced when it goes live (a scheduled one only at its start).
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", "NEWS" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase());
        offer.put("title", "Newsletter test offer");
        offer.put("percentOff", 5);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", start.toString());
        offer.put("endsAt", start.plus(2, ChronoUnit.DAYS).toString());
        offer.put("locationIds", List.of());
        offer.put("announce", true);
        String auth = platform.token("marketing@clinic.test");
        // A 503 of a loaded machine is retried; the code is unique, so a launch that did land answers 409.
        Platform.Response r = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> platform.post("/api/marketing/offers", offer, "Authorization", auth), res -> res.status() != 503);
        assertThat(r.status()).as("launch: %s", r.body()).isIn(201, 409);
    }
}
