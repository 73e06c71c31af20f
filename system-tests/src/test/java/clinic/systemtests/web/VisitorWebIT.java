package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Issue 16, what a visitor meets: the home page's offer says when booking opens, the callback page
 * promises what is configured and shows every clinic, versioned Terms and Privacy pages, a booking
 * page that opens on a day with free times and offers the next free time, and no cancel button
 * that can only fail. Expectations come from the platform's own rules and data, not fixed dates.
 */
class VisitorWebIT {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final String LOCATION = "sheffield";
    static final String TREATMENT = "sports-massage-45";
    static final DateTimeFormatter DAY_MONTH_YEAR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "visitor");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    // ---------------------------------------------------------------- home page offers

    @Test
    void feb10SaysWhenBookingOpensOrLinksToABookableFebruaryDay() {
        JsonNode rules = rules();
        long horizon = rules.get("horizonDays").asLong();
        JsonNode feb10 = offer("FEB10");
        Instant start = Instant.parse(feb10.get("startsAt").asText());
        Instant end = Instant.parse(feb10.get("endsAt").asText());
        Instant now = Instant.now();
        Instant opens = start.minus(Duration.ofDays(horizon));

        WebElement banner = browser.goAndWait("index.html", By.cssSelector("article.offer-banner[data-code='FEB10']"));
        browser.waitUntil("offer rendered with the rules", d -> !banner.findElements(By.cssSelector(".opens, a.book-offer")).isEmpty());
        browser.shot("home-feb10");
        if (now.isBefore(opens)) {
            assertThat(banner.getText()).doesNotContain("you can book now")
                    .contains("Booking for these appointments opens on")
                    .contains(dayMonthYearIn(opens));
            assertThat(banner.findElements(By.cssSelector("a.book-offer"))).isEmpty();
            return;
        }
        // Bookable now: the link opens the booking page on a February day that can be booked.
        Instant earliest = now.plus(Duration.ofMinutes(rules.get("minimumNoticeMinutes").asLong()));
        LocalDate firstDay = (start.isAfter(earliest) ? start : earliest).atZone(LONDON).toLocalDate();
        WebElement link = banner.findElement(By.cssSelector("a.book-offer"));
        Map<String, String> q = queryOf(link.getDomProperty("href"));
        assertThat(q).containsEntry("code", "FEB10").containsEntry("date", firstDay.toString());
        assertThat(q.get("treatmentId")).startsWith("sports-massage");
        link.click();
        browser.select(By.id("location"), LOCATION);
        browser.waitVisible(By.cssSelector("#slots button.slot"));
        LocalDate shown = LocalDate.parse(browser.driver.findElement(By.id("date")).getDomProperty("value"));
        assertThat(shown).isAfterOrEqualTo(firstDay).isBefore(end.atZone(LONDON).toLocalDate());
        assertThat(browser.driver.findElement(By.id("promo")).getDomProperty("value")).isEqualTo("FEB10");
        assertThat(browser.driver.findElement(By.id("treatment")).getDomProperty("value")).isEqualTo(q.get("treatmentId"));
        browser.shot("book-from-feb10");
    }

    @Test
    void anOfferBeyondTheHorizonSaysWhenBookingOpensAndOffersNoBookingLink() {
        long horizon = rules().get("horizonDays").asLong();
        Instant start = LocalDate.now(LONDON).plusDays(horizon + 20).atStartOfDay(LONDON).toInstant();
        String code = "LATER" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", "Summer offer (browser test)");
        offer.put("percentOff", 10);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", start.toString());
        offer.put("endsAt", start.plus(Duration.ofDays(5)).toString());
        offer.put("locationIds", List.of());
        String auth = platform.token("marketing@clinic.test");
        // A 503 of a loaded machine is retried; the code is unique, so a launch that did land answers 409.
        Platform.Response r = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> platform.post("/api/marketing/offers", offer, "Authorization", auth), res -> res.status() != 503);
        assertThat(r.status()).as("launch: %s", r.body()).isIn(201, 409);

        WebElement banner = browser.goAndWait("index.html", By.cssSelector("article.offer-banner[data-code='" + code + "']"));
        browser.waitUntil("opening date shown", d -> !banner.findElements(By.cssSelector(".opens")).isEmpty());
        assertThat(banner.getText()).doesNotContain("you can book now")
                .contains("Booking for these appointments opens on")
                .contains(dayMonthYearIn(start.minus(Duration.ofDays(horizon))));
        assertThat(banner.findElements(By.cssSelector("a.book-offer"))).isEmpty();
    }

    // ---------------------------------------------------------------- callback page

    @Test
    void theCallbackPagePromisesTheConfiguredTargetAndShowsEveryClinic() throws Exception {
        JsonNode level = platform.get("/api/callbacks/service-level").body();
        int minutes = level.get("targetMinutes").asInt();
        assertThat(minutes).as("the local run keeps the default target").isEqualTo(120);

        browser.go("callback.html");
        browser.waitText(By.id("promise"), "within " + duration(minutes));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).doesNotContain("one working day");

        JsonNode locations = platform.get("/api/locations").body();
        assertThat(locations.size()).isPositive();
        for (JsonNode l : locations) {
            WebElement card = browser.waitVisible(By.cssSelector("#clinics article[data-location-id='" + l.get("id").asText() + "']"));
            assertThat(card.getText()).contains(l.get("name").asText());
            if (l.hasNonNull("phone")) {
                WebElement tel = card.findElement(By.cssSelector("a[href^='tel:']"));
                assertThat(tel.getText()).isEqualTo(l.get("phone").asText());
                assertThat(tel.getDomAttribute("href")).isEqualTo("tel:" + l.get("phone").asText().replaceAll("[^\\d+]", ""));
            }
            if (l.hasNonNull("openingHours") && l.get("openingHours").size() > 0) {
                assertThat(card.findElement(By.cssSelector("table.clinic-hours")).getText()).contains("Monday");
            }
            String postcode = postcodeOf(l);
            List<WebElement> map = card.findElements(By.cssSelector(".clinic-map a"));
            if (postcode != null) {
                assertThat(map).hasSize(1);
                assertThat(map.get(0).getDomAttribute("href")).isEqualTo("https://www.openstreetmap.org/search?query="
                        + URLEncoder.encode(postcode, StandardCharsets.UTF_8).replace("+", "%20"));
            }
            if (l.hasNonNull("address")) {
                assertThat(card.getText()).contains(l.get("address").asText().split(",")[0].trim());
            }
        }
        browser.shot("callback-clinics");
    }

    @Test
    void theConsentNamesThePolicyVersionThePrivacyPageShows() throws Exception {
        browser.go("privacy.html");
        String version = browser.waitVisible(By.id("policy-version")).getText();
        assertThat(version).matches("\\d{4}-\\d{2}(-\\d{2})?");

        browser.go("callback.html");
        browser.waitText(By.id("policy-version"), version);
        WebElement label = browser.driver.findElement(By.cssSelector("label[for='terms']"));
        assertThat(label.findElement(By.cssSelector("a[href='privacy.html']")).isDisplayed()).isTrue();
        assertThat(label.findElement(By.cssSelector("a[href='terms.html']")).isDisplayed()).isTrue();

        String name = "Consent Check " + UUID.randomUUID().toString().substring(0, 8);
        browser.type(By.id("name"), name);
        browser.type(By.id("phone"), clinic.systemtests.Journeys.uniqueMobile());
        browser.driver.findElement(By.id("terms")).click();
        browser.submitAndWait(By.id("submit"), By.id("done"), By.id("form-notice"));

        try (Connection c = platform.db("callback");
             PreparedStatement ps = c.prepareStatement("select c.policy_version from consent c join callback_request r "
                     + "on r.id = c.callback_id where r.name = ? and c.purpose = 'TERMS_AND_PRIVACY'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("consent recorded").isTrue();
                assertThat(rs.getString(1)).isEqualTo(version);
            }
        }
    }

    // ---------------------------------------------------------------- terms and privacy

    @Test
    void termsAndPrivacyAreRealVersionedPagesLinkedFromEveryPage() {
        for (String page : List.of("index.html", "book.html", "callback.html", "manage.html", "newsletter.html",
                "newsletter-confirm.html", "newsletter-unsubscribe.html", "signin.html", "staff.html", "marketing.html",
                "terms.html", "privacy.html")) {
            String html = platform.get("/" + page).raw().body();
            assertThat(html).as(page).contains("href=\"terms.html\"").contains("href=\"privacy.html\"")
                    .doesNotContain("#terms-text");
        }
        browser.go("privacy.html");
        String text = browser.waitVisible(By.tagName("main")).getText();
        assertThat(text).contains("24 months after the appointment").contains("90 days after the request is completed")
                .contains("12 months").contains("after 7 days").contains("7 days")
                .contains("privacy@").contains("Lawful basis").contains("erase");
        browser.shot("privacy");
        browser.driver.findElement(By.cssSelector("#versions a")).click();
        browser.waitText(By.id("policy-version"), "2026-01");
        assertThat(browser.driver.getCurrentUrl()).endsWith("privacy-2026-01.html");

        browser.go("terms.html");
        assertThat(browser.waitVisible(By.tagName("main")).getText()).contains("24 hours").contains("privacy policy");
        browser.driver.findElement(By.cssSelector("footer a[href='privacy.html']")).click();
        browser.waitUntil("on the privacy page", d -> d.getCurrentUrl().endsWith("/privacy.html"));
    }

    // ---------------------------------------------------------------- booking page days

    @Test
    void theBookingPageOpensOnTheFirstDayWithFreeTimesAndOffersTheNextFreeTime() {
        LocalDate today = LocalDate.now(LONDON);
        Free first = firstFreeFrom(today);
        assertThat(first).as("a free time within 30 days").isNotNull();

        browser.go("book.html");
        browser.select(By.id("location"), LOCATION);
        browser.waitText(By.id("clinic-details"), locationName(LOCATION));
        browser.select(By.id("treatment"), TREATMENT);
        browser.waitVisible(By.cssSelector("#slots button.slot"));
        assertThat(browser.driver.findElement(By.id("date")).getDomProperty("value")).isEqualTo(first.day().toString());
        assertThat(browser.driver.findElement(By.id("slots-status")).getText()).doesNotContain("no free times");
        browser.shot("book-opens-on-free-day");

        // A closed day (Sunday): the page says so and offers the next free time as a button.
        LocalDate sunday = first.day().plusDays(1);
        while (sunday.getDayOfWeek() != DayOfWeek.SUNDAY) sunday = sunday.plusDays(1);
        assertThat(slots(sunday)).as("the clinic is closed on Sundays").isEmpty();
        Free next = firstFreeFrom(sunday.plusDays(1));
        browser.setValue(By.id("date"), sunday.toString());
        WebElement button = browser.waitVisible(By.id("next-free"));
        ZonedDateTime at = next.startsAt().atZone(LONDON);
        assertThat(button.getText()).startsWith("Next free time:").contains(at.format(DAY_MONTH_YEAR))
                .contains(at.format(DateTimeFormatter.ofPattern("HH:mm")));
        assertThat(browser.driver.findElement(By.id("slots-status")).getText()).contains("no free times");
        browser.shot("book-closed-day-next-free");
        button.click();
        browser.waitUntil("jumped to the next free time", d -> d.findElement(By.id("date")).getDomProperty("value")
                .equals(next.day().toString()));
        WebElement chosen = browser.waitVisible(By.cssSelector("#slots button.slot[data-starts-at='" + next.startsAtText() + "']"));
        browser.waitUntil("the next free time is chosen", d -> "true".equals(chosen.getDomAttribute("aria-checked")));
    }

    // ---------------------------------------------------------------- manage page cutoff

    @Test
    void noCancelButtonInsideTheCutoffButAReasonAndWhomToPhone() {
        JsonNode rules = rules();
        long cutoffHours = rules.get("cancellationCutoffHours").asLong();
        Free free = firstFreeFrom(LocalDate.now(LONDON).plusDays(3));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", LOCATION);
        body.put("treatmentId", TREATMENT);
        body.put("therapistId", free.therapistId());
        body.put("startsAt", free.startsAtText());
        body.put("customer", Map.of("name", "Cutoff Visitor", "email",
                "cutoff-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "phone", "07700 100123"));
        // One Idempotency-Key: a retry after a 503 of a loaded machine books once.
        String key = UUID.randomUUID().toString();
        Platform.Response made = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> platform.post("/api/bookings", body, "Idempotency-Key", key), res -> res.status() != 503);
        assertThat(made.status()).as("booking: %s", made.body()).isEqualTo(201);
        String manage = "manage.html?ref=" + made.body().get("reference").asText()
                + "&token=" + URLEncoder.encode(made.body().get("manageToken").asText(), StandardCharsets.UTF_8);

        // Days ahead: the button is there.
        browser.go(manage);
        browser.waitVisible(By.id("booking"));
        assertThat(browser.waitVisible(By.id("show-cancel")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("no-cancel")).isDisplayed()).isFalse();

        // The same booking seen 3 hours before its start (the visitor's clock moved; the server's
        // 409 inside the cutoff is BookingLifecycleTest's): no button, a reason and whom to phone.
        long shiftMs = Duration.between(Instant.now(), free.startsAt().minus(Duration.ofHours(3))).toMillis();
        try (Browser late = Browser.open(platform, "visitor-late")) {
            ((ChromeDriver) late.driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "(() => { const real = Date.now.bind(Date); Date.now = () => real() + " + shiftMs + "; })();"));
            late.go(manage);
            WebElement why = late.waitVisible(By.id("no-cancel"));
            assertThat(why.getText()).contains("cancelled online up to " + cutoffHours + " hours before");
            JsonNode location = location(LOCATION);
            if (location.hasNonNull("phone")) {
                assertThat(why.findElement(By.cssSelector("a[href^='tel:']")).getText()).isEqualTo(location.get("phone").asText());
            } else {
                assertThat(why.getText()).contains("phone the clinic");
            }
            assertThat(late.driver.findElement(By.id("show-cancel")).isDisplayed()).isFalse();
            assertThat(late.driver.findElement(By.id("show-reschedule")).isDisplayed()).isTrue();
            late.shot("manage-inside-cutoff");
        }
    }

    // ---------------------------------------------------------------- helpers

    record Free(LocalDate day, String therapistId, String startsAtText) {
        Instant startsAt() {
            return Instant.parse(startsAtText);
        }
    }

    private static JsonNode rules() {
        Platform.Response r = platform.get("/api/booking-rules");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode offer(String code) {
        for (JsonNode o : platform.get("/api/offers").body()) {
            if (o.get("code").asText().equalsIgnoreCase(code)) return o;
        }
        throw new AssertionError("no offer " + code);
    }

    private static JsonNode location(String id) {
        for (JsonNode l : platform.get("/api/locations").body()) {
            if (l.get("id").asText().equals(id)) return l;
        }
        throw new AssertionError("no location " + id);
    }

    private static String locationName(String id) {
        return location(id).get("name").asText();
    }

    private static JsonNode slots(LocalDate day) {
        Platform.Response r = platform.get("/api/availability?locationId=" + LOCATION + "&treatmentId=" + TREATMENT + "&date=" + day);
        assertThat(r.status()).as("availability %s: %s", day, r.body()).isEqualTo(200);
        return r.body().get("slots");
    }

    /** As the page looks: the first day from {@code from} (within 30 days) with a free time, and that time. */
    private static Free firstFreeFrom(LocalDate from) {
        for (int i = 0; i <= 30; i++) {
            LocalDate day = from.plusDays(i);
            JsonNode s = slots(day);
            if (s.size() > 0) return new Free(day, s.get(0).get("therapistId").asText(), s.get(0).get("startsAt").asText());
        }
        return null;
    }

    private static String dayMonthYearIn(Instant instant) {
        return instant.atZone(LONDON).format(DAY_MONTH_YEAR);
    }

    /** As the callback page words it: 120 → "2 hours". */
    static String duration(int minutes) {
        int h = minutes / 60;
        int m = minutes % 60;
        String hs = h == 0 ? "" : h + " hour" + (h == 1 ? "" : "s");
        String ms = m == 0 ? "" : m + " minute" + (m == 1 ? "" : "s");
        return (hs + " " + ms).trim();
    }

    private static final Pattern POSTCODE = Pattern.compile("\\b([A-Z]{1,2}\\d[A-Z\\d]?\\s*\\d[A-Z]{2})\\b", Pattern.CASE_INSENSITIVE);

    private static String postcodeOf(JsonNode l) {
        JsonNode p = l.path("postalAddress").path("postcode");
        if (p.isTextual() && !p.asText().isBlank()) return p.asText();
        Matcher m = POSTCODE.matcher(l.path("address").asText(""));
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : null;
    }

    private static Map<String, String> queryOf(String url) {
        Map<String, String> m = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw == null) return m;
        for (String pair : raw.split("&")) {
            int i = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }
}
