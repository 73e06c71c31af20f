package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * Reception's diary: staff open a clinic's week, see a booking in its therapist's column, move
 * it by picking a new free time and see it move; a booking made elsewhere appears without a
 * reload. The clinic is the test's own (made through the admin API), so nothing else books there.
 */
class DiaryWebIT {
    static Platform platform;
    static Browser browser;
    static StaffDeskClinic clinic;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        clinic = StaffDeskClinic.create(platform, "diary");
        browser = Browser.open(platform, "diary");
        browser.signIn("staff@clinic.test", "staff.html");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    static By booking(String reference) {
        return By.cssSelector("#diary button.diary-booking[data-reference='" + reference + "']");
    }

    /** The booking's startsAt in the diary the server keeps. */
    static String storedStart(LocalDate day, String reference) {
        var r = platform.get("/api/staff/diary?locationId=" + clinic.location() + "&from=" + day + "&to=" + day,
                "Authorization", platform.token("staff@clinic.test"));
        assertThat(r.status()).as("diary: %s", r.body()).isEqualTo(200);
        for (JsonNode t : r.body().get("therapists")) {
            for (JsonNode d : t.get("days")) {
                for (JsonNode b : d.get("bookings")) {
                    if (b.get("reference").asText().equals(reference)) return b.get("startsAt").asText();
                }
            }
        }
        return null;
    }

    @Test
    void staffOpenTheWeekAndMoveABookingByPickingANewFreeTime() {
        LocalDate day = StaffDeskClinic.weekdayAhead(platform, 10);
        JsonNode slots = clinic.slots(platform, day);
        assertThat(slots.size()).as("free slots on %s", day).isGreaterThan(2);
        String customer = "Diary Move " + UUID.randomUUID().toString().substring(0, 6);
        JsonNode made = clinic.book(platform, slots.get(0), customer, "diary-move-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com");
        String ref = made.get("reference").asText();
        String oldStart = made.get("startsAt").asText();

        browser.go("diary.html?locationId=" + clinic.location() + "&date=" + day);
        WebElement b = browser.waitVisible(booking(ref));
        assertThat(b.getText()).contains(customer).contains(clinic.treatmentName()).contains("Confirmed");
        WebElement column = b.findElement(By.xpath("ancestor::section[contains(@class,'diary-col')]"));
        assertThat(column.getText()).contains(clinic.therapistName()).contains("Working 09:00").contains("Break 12:30");
        assertThat(browser.driver.findElement(By.id("d-location")).getDomProperty("value")).isEqualTo(clinic.location());
        browser.shot("diary-week");

        // Open it, choose "Move", pick a later free time on the same day, confirm.
        b.click();
        browser.waitVisible(By.id("bk-dialog"));
        assertThat(browser.driver.findElement(By.id("bk-ref")).getText()).isEqualTo(ref);
        // Attendance is offered only once the appointment has started; this one is days ahead.
        assertThat(browser.driver.findElement(By.id("bk-noshow")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.id("bk-attendance-hint")).getText()).contains("once the appointment has started");
        browser.driver.findElement(By.id("bk-move")).click();
        browser.waitVisible(By.cssSelector("#mv-slots button.slot"));
        browser.shot("diary-move-slots");
        WebElement later = browser.driver.findElements(By.cssSelector("#mv-slots button.slot")).stream()
                .filter(s -> Instant.parse(s.getDomAttribute("data-starts-at")).isAfter(Instant.parse(oldStart).plusSeconds(3600)))
                .findFirst().orElseThrow(() -> new AssertionError("no later free time offered; console:\n" + browser.console()));
        String newStart = later.getDomAttribute("data-starts-at");
        String newTime = later.getText().substring(0, 5);
        later.click();
        assertThat(later.getDomAttribute("aria-pressed")).isEqualTo("true");
        browser.driver.findElement(By.id("mv-confirm")).click();
        browser.waitText(By.id("bk-notice"), "moved to");
        browser.shot("diary-moved-dialog");

        // The diary behind shows it at the new time, and so does the server.
        browser.waitUntil("the booking shown at its new time", d -> {
            var found = d.findElements(booking(ref));
            return !found.isEmpty() && newStart.equals(found.get(0).getDomAttribute("data-starts-at"))
                    && found.get(0).getText().startsWith(newTime);
        });
        assertThat(Instant.parse(storedStart(day, ref))).isEqualTo(Instant.parse(newStart));
        browser.driver.findElement(By.id("bk-close")).click();
        browser.waitUntil("dialog closed", d -> !d.findElement(By.id("bk-dialog")).isDisplayed());
        assertThat(browser.js("return document.activeElement && document.activeElement.dataset.reference;"))
                .as("focus back on the booking").isEqualTo(ref);
        browser.shot("diary-moved");
    }

    @Test
    void aBookingMadeElsewhereAppearsWithoutAReload() {
        LocalDate day = StaffDeskClinic.weekdayAhead(platform, 17);
        browser.go("diary.html?locationId=" + clinic.location() + "&date=" + day);
        browser.waitFor(By.cssSelector("#conn.live"));
        browser.waitVisible(By.cssSelector("#diary .diary-day"));
        browser.js("window.__notReloaded = true;");

        JsonNode slots = clinic.slots(platform, day);
        String customer = "Diary Live " + UUID.randomUUID().toString().substring(0, 6);
        String ref = clinic.book(platform, slots.get(slots.size() - 1), customer,
                "diary-live-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com").get("reference").asText();

        try {
            browser.waitVisible(booking(ref));
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.shot("diary-live-missing");
            throw new AssertionError("the new booking did not appear without a reload; console:\n" + browser.console(), e);
        }
        assertThat(browser.js("return window.__notReloaded === true;")).as("page was not reloaded").isEqualTo(true);
        assertThat(browser.driver.findElement(booking(ref)).getText()).contains(customer);
        browser.shot("diary-live-booking");
    }

    @Test
    void staffCancelABookingWithAReasonAfterAConfirmStep() {
        LocalDate day = StaffDeskClinic.weekdayAhead(platform, 31);
        JsonNode slots = clinic.slots(platform, day);
        String customer = "Diary Cancel " + UUID.randomUUID().toString().substring(0, 6);
        String ref = clinic.book(platform, slots.get(2), customer,
                "diary-cancel-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com").get("reference").asText();

        browser.go("diary.html?locationId=" + clinic.location() + "&date=" + day);
        browser.waitVisible(booking(ref)).click();
        browser.waitText(By.id("bk-ref"), ref);
        browser.driver.findElement(By.id("bk-cancel")).click();
        // The first press only asks: nothing is cancelled until "Yes, cancel the booking".
        browser.waitVisible(By.id("cx-confirm"));
        assertThat(browser.driver.findElement(booking(ref)).getDomAttribute("data-status")).isEqualTo("CONFIRMED");
        browser.type(By.id("cx-reason"), "Caller has a cold; will rebook.");
        browser.shot("diary-cancel-confirm");
        browser.driver.findElement(By.id("cx-confirm")).click();
        browser.waitText(By.id("bk-notice"), "cancelled");
        assertThat(browser.driver.findElement(By.id("bk-status")).getText()).isEqualTo("Cancelled");
        assertThat(browser.driver.findElement(By.id("bk-move")).isDisplayed()).as("nothing to move once cancelled").isFalse();
        browser.waitUntil("shown cancelled in the diary", d -> "CANCELLED".equals(d.findElement(booking(ref)).getDomAttribute("data-status")));
        browser.shot("diary-cancelled");
        browser.driver.findElement(By.id("bk-close")).click();
    }

    @Test
    void aCustomerFoundByNameOpensTheirBookingInTheDiary() {
        LocalDate day = StaffDeskClinic.weekdayAhead(platform, 24);
        JsonNode slots = clinic.slots(platform, day);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String customer = "Findme " + tag;
        String ref = clinic.book(platform, slots.get(1), customer, "diary-find-" + tag + "@example.com").get("reference").asText();

        // Start from another clinic's current week: the look-up takes staff to the right clinic and week.
        browser.go("diary.html?locationId=sheffield");
        browser.waitVisible(By.cssSelector("#diary .diary-day"));
        browser.type(By.id("c-query"), "Findme " + tag);
        WebElement open = browser.waitVisible(By.cssSelector("#c-results button[data-reference='" + ref + "']"));
        assertThat(browser.driver.findElement(By.id("c-results")).getText()).contains(customer).contains(ref);
        browser.shot("diary-customer-found");
        open.click();
        browser.waitText(By.id("bk-ref"), ref);
        assertThat(browser.driver.findElement(By.id("bk-customer")).getText()).isEqualTo(customer);
        assertThat(browser.driver.findElement(By.id("d-location")).getDomProperty("value")).isEqualTo(clinic.location());
        assertThat(browser.driver.findElements(booking(ref))).hasSize(1);
        browser.shot("diary-customer-booking-open");
        browser.driver.findElement(By.id("bk-close")).click();
    }

    @Test
    void theWeekFitsAPhoneScreen() {
        LocalDate day = StaffDeskClinic.weekdayAhead(platform, 10);
        Dimension before = browser.driver.manage().window().getSize();
        try {
            browser.driver.manage().window().setSize(new Dimension(375, 800));
            browser.go("diary.html?locationId=" + clinic.location() + "&date=" + day);
            try {
                browser.waitVisible(By.cssSelector("#diary .diary-col"));
            } catch (org.openqa.selenium.TimeoutException e) {
                browser.shot("diary-phone-not-shown");
                throw new AssertionError("the week did not show at phone width: notice '"
                        + browser.driver.findElement(By.id("diary-notice")).getText() + "', status '"
                        + browser.driver.findElement(By.id("d-status")).getText() + "', url " + browser.driver.getCurrentUrl()
                        + "; console:\n" + browser.console(), e);
            }
            Number inner = (Number) browser.js("return window.innerWidth;");
            Number scroll = (Number) browser.js("return document.documentElement.scrollWidth;");
            assertThat(scroll.intValue()).as("no sideways scrolling at %s px", inner).isLessThanOrEqualTo(inner.intValue());
            browser.shot("diary-phone");
        } finally {
            browser.driver.manage().window().setSize(before);
        }
    }
}
