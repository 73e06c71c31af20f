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

    @Test
    void theAnalyticsSayWhatEachFigureCountsAndExportTheShownFiguresAsCsv() {
        browser.go("marketing.html");
        WebElement export = browser.waitVisible(By.id("export-csv"));
        assertThat(browser.driver.findElement(By.id("analytics-basis")).getText()).contains("appointment date");
        List<WebElement> stats = browser.driver.findElements(By.cssSelector("#stats .stat"));
        assertThat(stats).isNotEmpty().allSatisfy(st -> assertThat(st.findElement(By.className("what")).getText()).isNotBlank());
        String shownBookings = browser.driver.findElement(By.cssSelector("#stats .stat .n")).getText();

        String href = export.getDomAttribute("href");
        assertThat(href).startsWith("data:text/csv");
        String csv = java.net.URLDecoder.decode(href.substring(href.indexOf(',') + 1), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).contains("\"section\",\"item\",\"value\",\"what it counts\"")
                .contains("\"summary\",\"bookings\",\"" + shownBookings + "\",\"Confirmed bookings whose appointment falls in the period");
        assertThat(export.getDomAttribute("download")).matches("clinic-analytics-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.csv");

        // On a phone the figures stay readable: stats wrap, the chart scrolls rather than shrinking.
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            WebElement chart = browser.waitVisible(By.cssSelector("#per-day"));
            assertThat(chart.getCssValue("overflow-x")).isEqualTo("auto");
            for (WebElement st : browser.driver.findElements(By.cssSelector("#stats .stat"))) {
                assertThat(st.getRect().getX() + st.getRect().getWidth()).as("a figure inside the screen").isLessThanOrEqualTo(390);
            }
            browser.shot("analytics-phone");
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
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
