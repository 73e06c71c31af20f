package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * An admin sets up a new clinic in the administration area with the keyboard and a few clicks:
 * a location, a treatment, a therapist and their weekly pattern with a lunch break. The public
 * booking page then offers that therapist's times there; time off over a booking names it, and the
 * staff day list flags it.
 */
class AdminWebIT {
    static final ZoneId LONDON = ZoneId.of("Europe/London");

    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "admin");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void adminCreatesLocationTreatmentAndTherapistWithAWeeklyPatternAndCustomersCanBookThem() {
        String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String location = "web-loc-" + sfx;
        String treatment = "web-rehab-" + sfx;
        String therapist = "web-ther-" + sfx;

        // ADMIN lands on the choice of areas, the administration among them.
        browser.go("signin.html");
        browser.js("sessionStorage.clear();");
        browser.go("signin.html");
        browser.type(By.id("username"), "admin@clinic.test");
        browser.type(By.id("password"), "dev-password");
        browser.driver.findElement(By.id("password")).sendKeys(Keys.ENTER);
        WebElement goAdmin = browser.waitVisible(By.id("go-admin"));
        browser.shot("signin-choice");
        goAdmin.click();
        browser.waitUntil("on admin.html", d -> d.getCurrentUrl().contains("admin.html"));
        firstLoad(By.cssSelector("#locations-body tr"));
        assertThat(browser.driver.findElement(By.cssSelector("li[data-staff-link='admin.html'] a")).getDomAttribute("aria-current"))
                .isEqualTo("page");
        browser.shot("admin-locations");

        // ---- a location, typed in; the default hours are Monday–Saturday 09:00–17:00.
        browser.type(By.id("loc-name"), "Kelham Island " + sfx);
        assertThat(browser.driver.findElement(By.id("loc-id")).getDomProperty("value")).isEqualTo("kelham-island-" + sfx);
        browser.type(By.id("loc-id"), location);
        browser.type(By.id("loc-line1"), "Unit " + sfx + " Kelham Island Works");
        browser.type(By.id("loc-town"), "Sheffield");
        browser.type(By.id("loc-postcode"), "s3 8ry");
        browser.type(By.id("loc-phone"), "0114 496 0123");
        WebElement saturdayClosed = browser.driver.findElement(By.id("oh-SATURDAY-closed"));
        saturdayClosed.sendKeys(Keys.SPACE);
        assertThat(browser.driver.findElement(By.id("oh-SATURDAY-from")).isEnabled()).isFalse();
        browser.shot("admin-location-filled");
        browser.driver.findElement(By.id("loc-phone")).sendKeys(Keys.ENTER);
        browser.waitText(By.id("location-outcome"), "created");
        browser.waitVisible(By.cssSelector("#locations-body tr[data-id='" + location + "']"));
        JsonNode loc = byId(platform.get("/api/locations").body(), location);
        assertThat(loc).as("location listed publicly").isNotNull();
        assertThat(loc.path("postalAddress").path("postcode").asText()).isEqualTo("S3 8RY");
        assertThat(loc.path("openingHours").path("SATURDAY").size()).isZero();

        // ---- a treatment: the tabs follow the arrow keys; the price is typed in pounds.
        browser.driver.findElement(By.id("tab-locations")).sendKeys(Keys.ARROW_RIGHT);
        assertThat(browser.driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("tab-treatments");
        browser.waitVisible(By.id("tr-name"));
        browser.type(By.id("tr-name"), "Injury rehab " + sfx);
        browser.type(By.id("tr-id"), treatment);
        browser.type(By.id("tr-category"), "rehab");
        browser.type(By.id("tr-duration"), "45");
        browser.type(By.id("tr-price"), "42.50");
        browser.type(By.id("tr-description"), "Assessment and a plan back to sport.");
        browser.driver.findElement(By.id("treatment-save")).click();
        browser.waitText(By.id("treatment-outcome"), "created");
        browser.waitVisible(By.cssSelector("#treatments-body tr[data-id='" + treatment + "']"));
        assertThat(byId(platform.get("/api/treatments").body(), treatment).path("pricePence").asLong()).isEqualTo(4250);

        // ---- a therapist offering it.
        browser.driver.findElement(By.id("tab-treatments")).sendKeys(Keys.ARROW_RIGHT);
        browser.waitVisible(By.id("th-name"));
        browser.type(By.id("th-name"), "Morgan Reed " + sfx);
        browser.type(By.id("th-id"), therapist);
        browser.type(By.id("th-bio"), "Rehab after sports injuries.");
        browser.waitFor(By.id("th-tr-" + treatment)).sendKeys(Keys.SPACE);
        browser.driver.findElement(By.id("therapist-save")).click();
        browser.waitText(By.id("therapist-outcome"), "created");
        browser.waitVisible(By.id("pattern-form"));

        // ---- the weekly pattern: Monday 09:00–17:00 with a 13:00–13:30 break, copied to Tuesday–Friday.
        browser.driver.findElement(By.id("pd-MONDAY-add")).sendKeys(Keys.ENTER);
        WebElement clinic = browser.waitVisible(By.cssSelector("#pd-MONDAY-entries .pattern-location"));
        browser.select(By.id(clinic.getDomAttribute("id")), location);
        WebElement monday = browser.driver.findElement(By.cssSelector("#pd-MONDAY-entries .pattern-entry"));
        browser.setValue(By.id(monday.findElement(By.cssSelector(".pe-from")).getDomAttribute("id")), "09:00");
        browser.setValue(By.id(monday.findElement(By.cssSelector(".pe-to")).getDomAttribute("id")), "17:00");
        monday.findElement(By.xpath(".//button[normalize-space()='Add a break']")).click();
        assertThat(monday.findElement(By.cssSelector(".pb-from")).getDomProperty("value")).isEqualTo("13:00");
        assertThat(monday.findElement(By.cssSelector(".pb-to")).getDomProperty("value")).isEqualTo("13:30");
        browser.driver.findElement(By.id("pattern-copy")).click();
        assertThat(browser.driver.findElements(By.cssSelector("#pd-FRIDAY-entries .pattern-entry"))).hasSize(1);
        assertThat(browser.driver.findElements(By.cssSelector("#pd-SATURDAY-entries .pattern-entry"))).isEmpty();
        assertThat(browser.driver.findElement(By.id("pattern-from")).getDomProperty("value")).isEqualTo(LocalDate.now(LONDON).toString());
        browser.shot("admin-pattern-filled");
        browser.driver.findElement(By.id("pattern-save")).click();
        browser.waitText(By.id("pattern-outcome"), "saved");
        assertThat(browser.driver.findElement(By.id("pattern-outcome")).getText()).contains("5 blocks");
        browser.shot("admin-pattern-saved");

        // The saved pattern comes back into the editor as it was entered.
        assertThat(browser.driver.findElements(By.cssSelector("#pd-WEDNESDAY-entries .pattern-entry"))).hasSize(1);
        assertThat(new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.cssSelector("#pd-WEDNESDAY-entries .pattern-location")))
                .getFirstSelectedOption().getDomAttribute("value")).isEqualTo(location);

        // ---- the public side: the API and the booking page offer that therapist's times there.
        LocalDate day = weekdayAhead(8);
        JsonNode slots = platform.get("/api/availability?locationId=" + location + "&treatmentId=" + treatment + "&date=" + day).body().get("slots");
        assertThat(slots.size()).as("slots on %s", day).isPositive();
        for (JsonNode s : slots) {
            assertThat(s.get("therapistId").asText()).isEqualTo(therapist);
            LocalTime from = Instant.parse(s.get("startsAt").asText()).atZone(LONDON).toLocalTime();
            LocalTime to = Instant.parse(s.get("endsAt").asText()).atZone(LONDON).toLocalTime();
            assertThat(from.isBefore(LocalTime.of(13, 30)) && to.isAfter(LocalTime.of(13, 0))).as("slot at %s in the break", from).isFalse();
            assertThat(from).isAfterOrEqualTo(LocalTime.of(9, 0));
            assertThat(to).isBeforeOrEqualTo(LocalTime.of(17, 0));
        }

        // Opened as a link from elsewhere would open it: choosing the clinic and then the treatment
        // races the page's refill of the treatment list for that clinic on a slow machine.
        browser.go("book.html?locationId=" + location + "&treatmentId=" + treatment + "&date=" + day);
        WebElement slotButton = firstLoad(By.cssSelector("#slots button.slot[data-therapist-id='" + therapist + "']"));
        assertThat(slotButton.getText()).contains("09:00").contains("Morgan");
        browser.shot("book-new-therapist-slots");

        // ---- a customer books; time off over it in the admin area names the booking.
        JsonNode first = slots.get(0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", location);
        body.put("treatmentId", treatment);
        body.put("therapistId", therapist);
        body.put("startsAt", first.get("startsAt").asText());
        body.put("customer", Map.of("name", "Robin Admin", "email", "web-admin-" + sfx + "@example.com", "phone", "07700 100123"));
        Platform.Response booked = platform.post("/api/bookings", body);
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        String ref = booked.body().get("reference").asText();

        browser.go("admin.html#therapists");
        WebElement edit = browser.waitVisible(By.cssSelector("#therapists-body tr[data-id='" + therapist + "'] button"));
        edit.click();
        browser.waitVisible(By.id("timeoff-form"));
        browser.setValue(By.id("to-from"), day + "T08:00");
        browser.setValue(By.id("to-to"), day + "T12:00");
        browser.type(By.id("to-reason"), "Sickness");
        browser.driver.findElement(By.id("to-reason")).sendKeys(Keys.ENTER);
        browser.waitText(By.id("timeoff-outcome"), "need");
        assertThat(browser.driver.findElement(By.id("timeoff-outcome")).getText())
                .contains("1 booking needs attention").contains(ref).contains("09:00");
        browser.waitVisible(By.cssSelector("#timeoff-body tr"));
        browser.shot("admin-time-off-affected");

        browser.go("staff.html");
        // The clinic first: choosing it waits for the page's clinics, so the page is set up when the
        // day is chosen. (The page keeps a day chosen earlier too; this keeps the test on the usual path.)
        browser.select(By.id("b-location"), location);
        browser.setValue(By.id("b-date"), day.toString());
        WebElement row = browser.waitVisible(By.cssSelector("#bookings-body tr[data-reference='" + ref + "']"));
        browser.waitUntil("needs-attention badge on " + ref,
                d -> d.findElement(By.cssSelector("#bookings-body tr[data-reference='" + ref + "']")).getText().contains("Needs attention"));
        assertThat(row.getDomAttribute("class")).contains("needs-attention");
        browser.shot("staff-needs-attention");
    }

    @Test
    void aRefusedPatternShowsTheServersMessageNextToTheEntry() {
        String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String token = platform.token("admin@clinic.test");
        String location = "web-hours-" + sfx;
        Map<String, Object> hours = new LinkedHashMap<>();
        for (String d : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")) hours.put(d, List.of(Map.of("from", "10:00", "to", "16:00")));
        Map<String, Object> loc = new LinkedHashMap<>();
        loc.put("id", location);
        loc.put("name", "Short hours " + sfx);
        loc.put("postalAddress", Map.of("line1", "2 Short Street", "town", "Sheffield", "postcode", "S1 2AB"));
        loc.put("phone", "0114 496 0456");
        loc.put("openingHours", hours);
        loc.put("active", true);
        assertThat(platform.post("/api/admin/locations", loc, "Authorization", token).status()).isEqualTo(201);
        String therapist = "web-short-" + sfx;
        assertThat(platform.post("/api/admin/therapists", Map.of("id", therapist, "name", "Sky " + sfx,
                "treatmentIds", List.of("sports-massage-45"), "active", true), "Authorization", token).status()).isEqualTo(201);

        signInIfNeeded();
        browser.go("admin.html#therapists");
        firstLoad(By.cssSelector("#therapists-body tr[data-id='" + therapist + "'] button")).click();
        browser.waitVisible(By.id("pattern-form"));
        browser.driver.findElement(By.id("pd-TUESDAY-add")).click();
        WebElement entry = browser.waitVisible(By.cssSelector("#pd-TUESDAY-entries .pattern-entry"));
        browser.select(By.id(entry.findElement(By.cssSelector(".pattern-location")).getDomAttribute("id")), location);
        // 09:00–17:00 is outside the location's 10:00–16:00: only the server knows the hours.
        browser.driver.findElement(By.id("pattern-save")).click();
        String errorId = entry.findElement(By.cssSelector(".field-error")).getDomAttribute("id");
        browser.waitUntil("error next to the Tuesday entry", d -> !d.findElement(By.id(errorId)).getText().isBlank());
        assertThat(browser.driver.findElement(By.id("pattern-notice")).getText()).contains("correct");
        assertThat(browser.driver.findElements(By.cssSelector("#pd-TUESDAY-entries [aria-invalid='true']"))).isNotEmpty();
        browser.shot("admin-pattern-refused");
        JsonNode detail = platform.get("/api/admin/therapists/" + therapist, "Authorization", token).body();
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode days : detail.findValues("days")) days.forEach(entries::add);
        assertThat(entries).as("nothing saved: %s", detail).isEmpty();
    }

    /**
     * The first read of a freshly started platform can be slow on a loaded machine: allow it a
     * minute; every later step keeps the browser's usual wait.
     */
    private static WebElement firstLoad(By by) {
        return new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(60))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void signInIfNeeded() {
        browser.go("admin.html");
        if (browser.driver.getCurrentUrl().contains("signin.html")) {
            browser.type(By.id("username"), "admin@clinic.test");
            browser.type(By.id("password"), "dev-password");
            browser.driver.findElement(By.id("submit")).click();
            browser.waitUntil("back on admin.html", d -> d.getCurrentUrl().contains("admin.html"));
        }
    }

    private static LocalDate weekdayAhead(int days) {
        LocalDate d = LocalDate.now(LONDON).plusDays(days);
        List<String> closed = new ArrayList<>();
        JsonNode closures = platform.get("/api/closures?from=" + d + "&to=" + d.plusDays(30)).body();
        if (closures != null && closures.isArray()) closures.forEach(c -> closed.add(c.path("date").asText()));
        while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY || closed.contains(d.toString())) d = d.plusDays(1);
        return d;
    }

    private static JsonNode byId(JsonNode array, String id) {
        for (JsonNode n : array) if (n.path("id").asText().equals(id)) return n;
        return null;
    }
}
