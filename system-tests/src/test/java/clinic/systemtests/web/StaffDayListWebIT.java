package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Journeys;
import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The staff board's day list as reception uses it: it names the day it shows, lists what the
 * customer wrote and what they pay, does not count cancelled bookings, always shows the answer
 * to the latest choice however fast the day is changed, and remembers the clinic. The clinic is
 * the test's own (admin API), so the bookings it sees are only the ones made here.
 */
class StaffDayListWebIT {
    static Platform platform;
    static Browser browser;
    static StaffDeskClinic clinic;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        clinic = StaffDeskClinic.create(platform, "daylist");
        browser = Browser.open(platform, "day-list");
        browser.signIn("staff@clinic.test", "staff.html");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    private String book(JsonNode slot, String notes) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("locationId", clinic.location());
        b.put("treatmentId", clinic.treatment());
        b.put("therapistId", slot.get("therapistId").asText());
        b.put("startsAt", slot.get("startsAt").asText());
        b.put("customer", Map.of("name", "Day List " + slot.get("startsAt").asText().substring(11, 16),
                "email", "daylist-" + System.nanoTime() + "@example.com", "phone", Journeys.uniqueMobile()));
        if (notes != null) b.put("notes", notes);
        var r = platform.post("/api/bookings", b);
        assertThat(r.status()).as("booking: %s", r.body()).isEqualTo(201);
        return r.body().get("reference").asText();
    }

    private String status() {
        return browser.driver.findElement(By.id("bookings-status")).getText();
    }

    /** The list reaches this answer and stays on it (a late answer to an earlier choice must not replace it). */
    private void settlesOn(String prefix) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> status().startsWith(prefix));
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> status().startsWith(prefix));
    }

    @Test
    void theDayListNamesTheDayShowsNotesAndPriceAndKeepsUpWithQuickChanges() {
        LocalDate day = StaffDeskClinic.weekdayAhead(platform, 40);
        JsonNode slots = clinic.slots(platform, day);
        String kept = book(slots.get(0), "Left knee, please use the ground-floor room");
        String cancelled = book(slots.get(slots.size() - 1), null);
        var c = platform.post("/api/staff/bookings/" + cancelled + "/cancel", Map.of("reason", "Caller asked"),
                "Authorization", platform.token("staff@clinic.test"));
        assertThat(c.status()).as("cancel: %s", c.body()).isEqualTo(200);

        browser.select(By.id("b-location"), clinic.location());
        browser.setValue(By.id("b-date"), day.toString());
        browser.waitUntil("the day's list", d -> status().startsWith("1 booking at " + clinic.locationName()));
        // Named as people say it, cancelled listed but not counted.
        assertThat(status()).contains(day.getDayOfMonth() + " ").contains("(and 1 cancelled)");
        WebElement row = browser.waitVisible(By.cssSelector("#bookings-body tr[data-reference='" + kept + "']"));
        assertThat(row.getText()).contains("Left knee, please use the ground-floor room").contains("£42.50");
        assertThat(browser.driver.findElement(By.id("bookings-heading")).getText()).startsWith("Bookings on ");
        browser.shot("day-list");

        // Eight quick changes, answers arriving in any order: the last choice is what is shown.
        LocalDate empty = day.plusDays(1);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 8; i++) browser.setValue(By.id("b-date"), (i % 2 == 0 ? empty : day).toString());
            settlesOn("1 booking at ");
            assertThat(browser.driver.findElements(By.cssSelector("#bookings-body tr[data-reference='" + kept + "']")))
                    .hasSize(1);
            for (int i = 0; i < 8; i++) browser.setValue(By.id("b-date"), (i % 2 == 0 ? day : empty).toString());
            settlesOn("No bookings at ");
            assertThat(browser.driver.findElement(By.id("bookings-wrap")).isDisplayed()).isFalse();
        }

        // The clinic is remembered on this computer.
        browser.go("staff.html");
        browser.waitUntil("the remembered clinic", d ->
                clinic.location().equals(d.findElement(By.id("b-location")).getDomProperty("value")));
    }
}
