package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Marketing edits a scheduled offer before it starts and withdraws another; the window is shown as
 * the home page shows it (first and last day of appointments, inclusive).
 */
class MarketingPolishWebIT {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "marketing-polish");
        browser.signIn("marketing@clinic.test", "marketing.html");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void aScheduledOfferIsEditedAndAnotherWithdrawnBeforeTheyStart() {
        LocalDate first = LocalDate.now(LONDON).plusDays(20);
        String code = schedule("SCHED", first, first.plusDays(7)); // appointments from day 20 to day 26
        String other = schedule("GONE", first, first.plusDays(3));

        browser.go("marketing.html");
        WebElement row = browser.waitVisible(By.cssSelector("#offers-body tr[data-code='" + code + "']"));
        assertThat(row.findElement(By.cssSelector(".offer-window")).getText())
                .isEqualTo(longDate(first) + " to " + longDate(first.plusDays(6)));
        row.findElement(By.xpath(".//button[text()='Edit']")).click();
        browser.waitText(By.id("launch-heading"), "Edit offer " + code);
        assertThat(browser.driver.findElement(By.id("code")).getDomProperty("value")).isEqualTo(code);

        String edited = code + "X";
        browser.type(By.id("code"), edited);
        browser.type(By.id("title"), "Edited in the browser");
        browser.type(By.id("percent"), "20");
        browser.driver.findElement(By.id("launch")).click();
        browser.waitText(By.id("form-notice"), "saved");
        WebElement changed = browser.waitVisible(By.cssSelector("#offers-body tr[data-code='" + edited + "']"));
        assertThat(changed.getText()).contains("Edited in the browser").contains("20% off").contains("Scheduled");
        JsonNode stored = offer(edited);
        assertThat(stored.get("percentOff").asInt()).isEqualTo(20);
        assertThat(stored.get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(browser.driver.findElement(By.id("launch")).getText()).isEqualTo("Launch offer");
        browser.shot("marketing-offer-edited");

        WebElement gone = browser.waitVisible(By.cssSelector("#offers-body tr[data-code='" + other + "']"));
        gone.findElement(By.xpath(".//button[text()='Withdraw']")).click();
        browser.waitText(By.id("offers-status"), "withdrawn");
        assertThat(offer(other).get("status").asText()).isEqualTo("ENDED");
        browser.waitUntil("the withdrawn offer has no actions", d -> d.findElement(
                By.cssSelector("#offers-body tr[data-code='" + other + "']")).findElements(By.tagName("button")).isEmpty());

        // The home page says the same window, and shows the edited offer, not the withdrawn one.
        browser.go("index.html");
        WebElement banner = browser.waitVisible(By.cssSelector(".offer-banner[data-code='" + edited + "']"));
        assertThat(banner.getText()).contains("20% off").contains(longDate(first) + " to " + longDate(first.plusDays(6)));
        assertThat(browser.driver.findElements(By.cssSelector(".offer-banner[data-code='" + other + "']"))).isEmpty();
        browser.shot("home-edited-offer");
    }

    /**
     * Issue 25: both kinds of day, labelled; what revenue includes; cancellations; results per
     * treatment and per offer; newsletter sign-ups; the change on the previous period of the same
     * length; the CSV; and all of it readable at 390 px. The figures shown are the API's, for the
     * page's default period (30 days either side of today) and the 61 days before it.
     */
    @Test
    void theAnalyticsSayWhatEachFigureCountsCompareWithThePreviousPeriodAndExportTheShownFiguresAsCsv() {
        String marketing = platform.token("marketing@clinic.test");
        LocalDate today = LocalDate.now(LONDON);
        String from = today.minusDays(30).toString(), to = today.plusDays(30).toString();
        String prevFrom = today.minusDays(91).toString(), prevTo = today.minusDays(31).toString();
        JsonNode base = summary(from, to, marketing);

        // Made today for an appointment inside the period: one with a live code, one cancelled today.
        String code = launchLive();
        LocalDate day = platform.openWeekday(today.plusDays(10));
        Platform.Response withCode = platform.post("/api/bookings", bookingBody(day, code));
        assertThat(withCode.status()).as("booking with %s: %s", code, withCode.body()).isEqualTo(201);
        Platform.Response plain = platform.post("/api/bookings", bookingBody(day, null));
        assertThat(plain.status()).as("booking: %s", plain.body()).isEqualTo(201);
        Platform.Response cancelled = platform.post("/api/bookings/" + plain.body().get("reference").asText() + "/cancel",
                Map.of(), "X-Manage-Token", plain.body().get("manageToken").asText());
        assertThat(cancelled.status()).isEqualTo(200);
        signUpAndConfirm();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode s = summary(from, to, marketing);
            assertThat(s.at("/bookingsMade/count").asLong()).isGreaterThanOrEqualTo(base.at("/bookingsMade/count").asLong() + 2);
            assertThat(s.at("/cancellations/count").asLong()).isGreaterThanOrEqualTo(base.at("/cancellations/count").asLong() + 1);
            assertThat(s.at("/newsletter/signUps").asLong()).isGreaterThanOrEqualTo(base.at("/newsletter/signUps").asLong() + 1);
            assertThat(offerOf(s, code)).isNotNull();
            assertThat(offerOf(s, code).get("redemptions").asLong()).isEqualTo(1);
            assertThat(offerOf(s, code).get("bookingsMade").asLong()).isEqualTo(1);
        });

        browser.go("marketing.html");
        WebElement export = browser.waitVisible(By.id("export-csv"));
        JsonNode s = summary(from, to, marketing);
        JsonNode prev = summary(prevFrom, prevTo, marketing);

        String basis = browser.driver.findElement(By.id("analytics-basis")).getText();
        assertThat(basis).contains("appointment date").contains("day the customer booked").contains("day of the cancellation");
        assertThat(browser.driver.findElement(By.id("revenue-basis")).getText())
                .contains("after promo-code discounts").contains("cancelled bookings are not included");
        assertThat(browser.driver.findElement(By.id("comparison-basis")).getText())
                .startsWith("Each figure is compared with the previous 61 days, " + longDate(LocalDate.parse(prevFrom)) + " to "
                        + longDate(LocalDate.parse(prevTo)));

        List<WebElement> stats = browser.driver.findElements(By.cssSelector("#stats .stat"));
        assertThat(stats).isNotEmpty().allSatisfy(st -> {
            assertThat(st.findElement(By.className("what")).getText()).isNotBlank();
            assertThat(st.findElement(By.className("change")).getText()).contains("the previous 61 days");
        });
        assertFigure("bookings by appointment date", s.at("/bookings/count").asLong(), prev.at("/bookings/count").asLong());
        assertFigure("bookings made", s.at("/bookingsMade/count").asLong(), prev.at("/bookingsMade/count").asLong());
        assertThat(stat("bookings made").findElement(By.className("what")).getText())
                .contains(s.at("/bookingsMade/cancelledSince").asLong() + " of them cancelled since");
        assertFigure("cancellations", s.at("/cancellations/count").asLong(), prev.at("/cancellations/count").asLong());
        assertFigure("newsletter sign-ups", s.at("/newsletter/signUps").asLong(), prev.at("/newsletter/signUps").asLong());

        // Per treatment: the row of the treatment booked shows the API's four figures.
        JsonNode treatment = null;
        for (JsonNode t : s.get("treatments")) if (t.get("treatmentId").asText().equals(TREATMENT)) treatment = t;
        assertThat(treatment).isNotNull();
        List<String> row = rowOf("per-treatment", treatmentName(TREATMENT));
        assertThat(row).containsExactly(treatmentName(TREATMENT), treatment.get("bookings").asText(),
                pounds(treatment.get("revenuePence").asLong()), treatment.get("bookingsMade").asText(),
                treatment.get("cancellations").asText());
        // Per offer: the code's one redemption, the discount and revenue, and the one booking made with it.
        JsonNode offer = offerOf(s, code);
        assertThat(offer.get("redemptions").asLong()).isEqualTo(1);
        assertThat(offer.get("bookingsMade").asLong()).isEqualTo(1);
        assertThat(offer.get("revenuePence").asLong()).isEqualTo(withCode.body().get("totalPence").asLong());
        assertThat(rowOf("per-offer", code)).containsExactly(code, "1", pounds(withCode.body().get("discountPence").asLong()),
                pounds(withCode.body().get("totalPence").asLong()), "1");

        String href = export.getDomAttribute("href");
        assertThat(href).startsWith("data:text/csv");
        String csv = java.net.URLDecoder.decode(href.substring(href.indexOf(',') + 1), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).contains("\"section\",\"item\",\"value\",\"what it counts\",\"previous period (" + prevFrom + " to " + prevTo + ")\"")
                .contains("\"summary\",\"bookings by appointment date\",\"" + s.at("/bookings/count").asLong()
                        + "\",\"Confirmed bookings whose appointment falls in the period")
                .contains("\"summary\",\"bookings made\",\"" + s.at("/bookingsMade/count").asLong() + "\"")
                .contains("\"summary\",\"newsletter sign-ups\",\"" + s.at("/newsletter/signUps").asLong() + "\"")
                .contains("\"offer\",\"" + code + "\",\"1\",\"bookings made in the period with the code (day booked)\"")
                .contains("\"treatment\",\"" + treatmentName(TREATMENT) + "\",\"" + treatment.get("bookingsMade").asText()
                        + "\",\"bookings made (day booked)\"");
        assertThat(export.getDomAttribute("download")).matches("clinic-analytics-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv");
        browser.shot("analytics-desktop");

        // On a phone the figures stay readable: stats wrap, the daily chart redraws itself at the
        // phone's width with labels that keep their size (no sideways scrolling, no shrinking), and
        // the tables become cards, rather than anything widening the page.
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.waitUntil("the daily chart redrawn at phone width", d -> {
                WebElement svg = d.findElement(By.cssSelector("#per-day svg.chart"));
                return svg.getRect().getX() + svg.getRect().getWidth() <= 390;
            });
            assertThat(((Number) browser.js("const b = document.getElementById('per-day');"
                    + " return b.scrollWidth - b.clientWidth;")).intValue()).as("the daily chart does not scroll sideways")
                    .isLessThanOrEqualTo(0);
            assertThat(((Number) browser.js("return document.querySelector('#per-day svg text')"
                    + ".getBoundingClientRect().height;")).doubleValue()).as("its labels keep a legible size")
                    .isGreaterThanOrEqualTo(10);
            for (WebElement st : browser.driver.findElements(By.cssSelector("#stats .stat"))) {
                assertThat(st.getRect().getX() + st.getRect().getWidth()).as("a figure inside the screen").isLessThanOrEqualTo(390);
            }
            // Each row of the per-treatment and per-offer tables is a card: every figure on screen,
            // named by its column, with no sideways scrolling.
            for (String table : List.of("per-treatment", "per-offer")) {
                for (WebElement cell : browser.driver.findElements(By.cssSelector("#" + table + " tbody td"))) {
                    assertThat(cell.getRect().getX() + cell.getRect().getWidth()).as("a %s figure inside the screen", table)
                            .isLessThanOrEqualTo(390);
                    assertThat(cell.getDomAttribute("data-label")).as("a %s figure names its column", table).isNotBlank();
                    assertThat((String) browser.js("return getComputedStyle(arguments[0], '::before').content", cell))
                            .as("and shows the name").isNotIn("none", "normal", "");
                }
            }
            assertThat(rowOf("per-offer", code)).as("the figures themselves are unchanged at phone width")
                    .containsExactly(code, "1", pounds(withCode.body().get("discountPence").asLong()),
                            pounds(withCode.body().get("totalPence").asLong()), "1");
            assertThat(((Number) browser.js("const s = document.getElementById('analytics-heading').closest('section');"
                    + " return s.scrollWidth - s.clientWidth;")).intValue()).as("nothing in the analytics widens the page").isLessThanOrEqualTo(0);
            browser.shot("analytics-phone");
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    /** As the page writes money: £1,234.50. */
    private static String pounds(long pence) {
        return String.format(java.util.Locale.UK, "£%,d.%02d", pence / 100, pence % 100);
    }

    static final String LOCATION = "sheffield";
    static final String TREATMENT = "sports-massage-60";

    private static JsonNode summary(String from, String to, String auth) {
        Platform.Response r = platform.get("/api/analytics/summary?from=" + from + "&to=" + to, "Authorization", auth);
        assertThat(r.status()).as("summary: %s", r.body()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode offerOf(JsonNode summary, String code) {
        for (JsonNode o : summary.get("offers")) if (o.get("code").asText().equalsIgnoreCase(code)) return o;
        return null;
    }

    private static WebElement stat(String label) {
        for (WebElement st : browser.driver.findElements(By.cssSelector("#stats .stat"))) {
            if (st.findElement(By.className("l")).getText().equals(label)) return st;
        }
        throw new AssertionError("no figure labelled " + label);
    }

    /** The figure as shown and its change on the previous period, in words. */
    private static void assertFigure(String label, long now, long before) {
        WebElement st = stat(label);
        assertThat(st.findElement(By.className("n")).getText()).as(label).isEqualTo(String.valueOf(now));
        long d = now - before;
        String expected = d == 0 ? "Same as the previous 61 days (" + before + ")"
                : (d > 0 ? "Up " : "Down ") + Math.abs(d) + " on the previous 61 days (" + before + ")";
        assertThat(st.findElement(By.className("change")).getText()).as("%s change", label).isEqualTo(expected);
    }

    private static List<String> rowOf(String table, String first) {
        for (WebElement tr : browser.driver.findElements(By.cssSelector("#" + table + " tbody tr"))) {
            List<String> cells = tr.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList();
            if (!cells.isEmpty() && cells.get(0).equals(first)) return cells;
        }
        throw new AssertionError("no row " + first + " in #" + table);
    }

    private static String treatmentName(String id) {
        for (JsonNode t : platform.get("/api/treatments").body()) if (t.get("id").asText().equals(id)) return t.get("name").asText();
        throw new AssertionError("no treatment " + id);
    }

    private static Map<String, Object> bookingBody(LocalDate day, String code) {
        Platform.Response slots = platform.get("/api/availability?locationId=" + LOCATION + "&treatmentId=" + TREATMENT + "&date=" + day);
        assertThat(slots.status()).isEqualTo(200);
        JsonNode slot = slots.body().get("slots").get(0);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("locationId", LOCATION);
        b.put("treatmentId", TREATMENT);
        b.put("therapistId", slot.get("therapistId").asText());
        b.put("startsAt", slot.get("startsAt").asText());
        b.put("customer", Map.of("name", "Figures Test", "email", "figures-" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com", "phone", clinic.systemtests.Journeys.uniqueMobile()));
        if (code != null) b.put("promoCode", code);
        return b;
    }

    /** A code live from today for 40 days, not announced (no mail to subscribers). */
    private static String launchLive() {
        String code = "FIG" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        java.time.Instant start = LocalDate.now(LONDON).atStartOfDay(LONDON).toInstant();
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", "Analytics browser test");
        offer.put("percentOff", 10);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", start.toString());
        offer.put("endsAt", start.plus(java.time.Duration.ofDays(40)).toString());
        offer.put("locationIds", List.of());
        String auth = platform.token("marketing@clinic.test");
        Platform.Response r = platform.post("/api/marketing/offers", offer, "Authorization", auth);
        assertThat(r.status()).as("launch %s: %s", code, r.body()).isEqualTo(201);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "LIVE".equals(offer(code).get("status").asText()));
        return code;
    }

    private static final java.util.regex.Pattern CONFIRM =
            java.util.regex.Pattern.compile("/newsletter-confirm\\.html\\?token=([A-Za-z0-9_%\\-]+)");

    /** A newsletter sign-up confirmed with the token of its mail, as the confirmation page's button does. */
    private static void signUpAndConfirm() {
        String email = "figures-news-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertThat(platform.post("/api/newsletter/subscriptions", Map.of("email", email, "consent", true)).status()).isEqualTo(202);
        String token = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            java.util.regex.Matcher m = CONFIRM.matcher(platform.mail(email).toString());
            return m.find() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : null;
        }, java.util.Objects::nonNull);
        Platform.Response r = platform.post("/api/newsletter/confirm", Map.of("token", token));
        assertThat(r.status()).as("confirm: %s", r.body()).isEqualTo(200);
    }

    private static String schedule(String prefix, LocalDate from, LocalDate until) {
        String code = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", prefix + " offer (browser test)");
        offer.put("percentOff", 10);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", from.atStartOfDay(LONDON).toInstant().toString());
        offer.put("endsAt", until.atStartOfDay(LONDON).toInstant().toString());
        offer.put("locationIds", List.of());
        Platform.Response r = platform.post("/api/marketing/offers", offer, "Authorization", platform.token("marketing@clinic.test"));
        assertThat(r.status()).as("schedule %s: %s", code, r.body()).isEqualTo(201);
        return code;
    }

    /** As the pages write a day: '6 December 2026'. */
    private static String longDate(LocalDate d) {
        return d.format(java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.UK));
    }

    private static JsonNode offer(String code) {
        for (JsonNode o : platform.get("/api/marketing/offers", "Authorization", platform.token("marketing@clinic.test")).body()) {
            if (o.get("code").asText().equals(code)) return o;
        }
        throw new AssertionError("no offer " + code);
    }
}
