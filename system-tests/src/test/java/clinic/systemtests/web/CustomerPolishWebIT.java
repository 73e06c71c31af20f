package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * What a customer meets around the booking path (issue 25): a promo code outside its window says
 * when it applies, a used-up offer is not advertised, one button per time with arrow keys inside
 * the group, and field errors that clear as soon as the field is fixed.
 */
class CustomerPolishWebIT {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final String LOCATION = "sheffield";
    static final String TREATMENT = "sports-massage-45";

    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "customer-polish");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    /** A weekday a few days ahead that is not in February (FEB10's month). */
    static LocalDate dayOutsideFebruary() {
        LocalDate d = platform.openWeekday(LocalDate.now(LONDON).plusDays(3));
        return d.getMonthValue() == 2 ? platform.openWeekday(LocalDate.of(d.getYear(), 3, 8)) : d;
    }

    private void openDay(LocalDate day) {
        browser.go("book.html");
        browser.select(By.id("location"), LOCATION);
        browser.select(By.id("treatment"), TREATMENT);
        browser.setValue(By.id("date"), day.toString());
        browser.waitUntil("the times of " + day, d -> {
            var slots = d.findElements(By.cssSelector("#slots button.slot"));
            return !slots.isEmpty() && slots.get(0).getDomAttribute("data-starts-at").startsWith(
                    availability(day).get(0).get("startsAt").asText().substring(0, 10));
        });
    }

    @Test
    void feb10OnADayOutsideFebruarySaysWhenItApplies() {
        LocalDate today = LocalDate.now(LONDON);
        int year = today.getMonthValue() <= 2 ? today.getYear() : today.getYear() + 1;
        LocalDate day = dayOutsideFebruary();
        openDay(day);
        browser.driver.findElement(By.cssSelector("#slots button.slot")).click();
        browser.type(By.id("promo"), "feb10");

        String expected = "valid for appointments from 1 February " + year + " to "
                + YearMonth.of(year, 2).lengthOfMonth() + " February " + year;
        browser.waitText(By.id("promo-error"), expected);
        assertThat(browser.driver.findElement(By.id("promo-error")).getText())
                .as("not a bare 'expired' for a code the home page advertises").doesNotContain("has expired");
        assertThat(browser.driver.findElement(By.id("promo")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver.findElement(By.id("drop-code")).isDisplayed()).isTrue();
        browser.shot("promo-outside-window");
    }

    @Test
    void aUsedUpOfferIsNotAdvertisedAndAnOpenOneSaysWhereItApplies() {
        LocalDate day = platform.openWeekday(LocalDate.now(LONDON).plusDays(4));
        String full = launch("FULL", day, 1);
        String open = launch("OPEN", day, 50);
        JsonNode slot = availability(day).get(0);
        Map<String, Object> booking = new LinkedHashMap<>();
        booking.put("locationId", LOCATION);
        booking.put("treatmentId", TREATMENT);
        booking.put("therapistId", slot.get("therapistId").asText());
        booking.put("startsAt", slot.get("startsAt").asText());
        booking.put("customer", Map.of("name", "Used Up", "email", "used-" + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com", "phone", "07700 100123"));
        booking.put("promoCode", full);
        Platform.Response made = platform.post("/api/bookings", booking);
        assertThat(made.status()).as("booking with %s: %s", full, made.body()).isEqualTo(201);

        browser.go("index.html");
        browser.waitVisible(By.cssSelector("#offers article.offer-banner[data-code='" + open + "']"));
        browser.waitUntil("offers loaded", d -> "false".equals(d.findElement(By.id("offers")).getDomAttribute("aria-busy")));
        assertThat(browser.driver.findElements(By.cssSelector("#offers article[data-code='" + full + "']")))
                .as("%s has no places left", full).isEmpty();
        WebElement banner = browser.driver.findElement(By.cssSelector("#offers article[data-code='" + open + "']"));
        assertThat(banner.getText()).contains("10% off sports massage at Sheffield");
        String href = banner.findElement(By.cssSelector("a.book-offer")).getDomProperty("href");
        assertThat(href).contains("code=" + open).contains("locationId=" + LOCATION).contains("treatmentId=sports-massage");
        browser.shot("home-used-up-offer-hidden");
    }

    @Test
    void oneButtonPerTimeAndArrowKeysMoveWithinTheGroup() {
        LocalDate day = platform.openWeekday(LocalDate.now(LONDON).plusDays(5));
        openDay(day);
        Set<String> times = new LinkedHashSet<>();
        availability(day).forEach(s -> times.add(s.get("startsAt").asText()));
        List<WebElement> buttons = browser.driver.findElements(By.cssSelector("#slots button.slot"));
        assertThat(buttons).as("one button per free time, not per therapist").hasSize(times.size());
        assertThat(browser.driver.findElement(By.id("slots")).getDomAttribute("role")).isEqualTo("radiogroup");
        assertThat(buttons).allSatisfy(b -> assertThat(b.getDomAttribute("role")).isEqualTo("radio"));
        assertThat(buttons.stream().filter(b -> "0".equals(b.getDomAttribute("tabindex")))).as("one Tab stop").hasSize(1);

        buttons.get(0).click();
        browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
        browser.waitUntil("the second time is chosen", d -> "true".equals(buttons.get(1).getDomAttribute("aria-checked")));
        assertThat(browser.driver.switchTo().activeElement().getDomAttribute("data-starts-at"))
                .isEqualTo(buttons.get(1).getDomAttribute("data-starts-at"));
        assertThat(buttons.get(0).getDomAttribute("aria-checked")).isEqualTo("false");
        assertThat(buttons.get(0).getDomAttribute("tabindex")).isEqualTo("-1");
        browser.driver.switchTo().activeElement().sendKeys(Keys.END);
        WebElement last = buttons.get(buttons.size() - 1);
        browser.waitUntil("the last time is chosen", d -> "true".equals(last.getDomAttribute("aria-checked")));
        browser.driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
        WebElement beforeLast = buttons.get(buttons.size() - 2);
        browser.waitUntil("back one", d -> "true".equals(beforeLast.getDomAttribute("aria-checked")));

        // A particular therapist: the times become that therapist's own.
        WebElement therapist = browser.waitVisible(By.id("therapist"));
        String who = availability(day).get(0).get("therapistId").asText();
        browser.select(By.id("therapist"), who);
        long theirs = 0;
        for (JsonNode s : availability(day)) if (s.get("therapistId").asText().equals(who)) theirs++;
        long expected = theirs;
        browser.waitUntil("only " + who + "'s times", d -> d.findElements(By.cssSelector("#slots button.slot")).size() == expected);
        assertThat(browser.driver.findElements(By.cssSelector("#slots button.slot[data-therapist-id='" + who + "']")))
                .hasSize((int) expected);
        assertThat(therapist.isDisplayed()).isTrue();
        browser.shot("slots-grouped");
    }

    @Test
    void fieldErrorsClearAsSoonAsTheFieldIsFixedAndThePhoneIsCheckedBeforeSubmit() {
        browser.go("book.html");
        browser.waitFor(By.cssSelector("#location option[value='" + LOCATION + "']"));
        browser.driver.findElement(By.id("submit")).click();
        browser.waitText(By.id("name-error"), "Enter your name.");
        WebElement name = browser.driver.findElement(By.id("name"));
        assertThat(name.getDomAttribute("aria-invalid")).isEqualTo("true");
        name.sendKeys("Robin");
        browser.waitUntil("the name error cleared", d -> d.findElement(By.id("name-error")).getText().isEmpty()
                && d.findElement(By.id("name")).getDomAttribute("aria-invalid") == null);
        assertThat(browser.driver.findElement(By.id("email-error")).getText()).as("other errors stay").isNotEmpty();

        WebElement phone = browser.driver.findElement(By.id("phone"));
        phone.sendKeys("12345");
        browser.driver.findElement(By.id("notes")).click(); // leaves the field
        browser.waitText(By.id("phone-error"), "UK phone number like 07123 456789");
        phone.clear();
        phone.sendKeys("07700 100123");
        browser.waitUntil("the phone error cleared", d -> d.findElement(By.id("phone-error")).getText().isEmpty());
        phone.clear();
        phone.sendKeys("+353 1 234 5678");
        browser.driver.findElement(By.id("notes")).click();
        assertThat(browser.driver.findElement(By.id("phone-error")).getText()).as("an international number").isEmpty();
        browser.shot("errors-cleared");
    }

    private static JsonNode availability(LocalDate day) {
        Platform.Response r = platform.get("/api/availability?locationId=" + LOCATION + "&treatmentId=" + TREATMENT + "&date=" + day);
        assertThat(r.status()).isEqualTo(200);
        JsonNode slots = r.body().get("slots");
        assertThat(slots.size()).as("free times on %s", day).isPositive();
        return slots;
    }

    private static String launch(String prefix, LocalDate until, int places) {
        String code = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", prefix + " offer (browser test)");
        offer.put("percentOff", 10);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", Instant.now().toString());
        offer.put("endsAt", until.plusDays(2).atStartOfDay(LONDON).toInstant().toString());
        offer.put("locationIds", List.of(LOCATION));
        offer.put("maxRedemptions", places);
        Platform.Response r = platform.post("/api/marketing/offers", offer, "Authorization", platform.token("marketing@clinic.test"));
        assertThat(r.status()).as("launch %s: %s", code, r.body()).isEqualTo(201);
        return code;
    }
}
