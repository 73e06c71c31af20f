package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Marketing signs in, launches an offer starting now, and it shows in the home page banner. */
class OfferLaunchWebIT {
    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "offer-launch");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void marketingLaunchesAnOfferStartingNowAndItAppearsInTheHomeBanner() {
        browser.signIn("marketing@clinic.test", "marketing.html");
        browser.waitFor(By.cssSelector("#category option[value='sports-massage']"));
        browser.waitFor(By.cssSelector("#offers-body tr"));
        browser.shot("marketing-page");

        String code = "WEB" + UUID.randomUUID().toString().replace("-", "").substring(0, 7).toUpperCase();
        String title = "Spring tune-up " + code;
        browser.type(By.id("code"), code);
        browser.type(By.id("title"), title);
        browser.type(By.id("description"), "15% off sports massage, launched from the browser test.");
        browser.type(By.id("percent"), "15");
        browser.select(By.id("category"), "sports-massage");
        // Starts defaults to now (UK time) and ends a week later.
        assertThat(browser.driver.findElement(By.id("starts")).getDomProperty("value")).isNotBlank();
        browser.shot("marketing-offer-filled");

        browser.driver.findElement(By.id("launch")).click();
        browser.waitText(By.id("form-notice"), "launched");
        assertThat(browser.driver.findElement(By.id("form-notice")).getText()).contains(code).contains("live now");
        WebElement row = browser.waitVisible(By.cssSelector("#offers-body tr[data-code='" + code + "']"));
        assertThat(row.getText()).contains(title).contains("Live").contains("15% off");
        browser.shot("marketing-offer-launched");

        browser.go("index.html");
        WebElement banner = browser.waitVisible(By.cssSelector(".offer-banner[data-code='" + code + "']"));
        assertThat(banner.getText()).contains(title).contains("15% off").contains(code).contains("On now");
        browser.shot("home-banner-with-new-offer");

        // The seeded February offer is in the banner as well (live or coming up).
        assertThat(browser.driver.findElements(By.cssSelector(".offer-banner[data-code='FEB10']"))).isNotEmpty();
    }
}
