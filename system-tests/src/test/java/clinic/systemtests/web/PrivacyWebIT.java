package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Privacy tab of the administration area: an admin looks up what is held about an address, erases
 * it after a confirm step (cancelling first sends nothing), follows the progress per service until
 * every service has erased its part, and a second look-up finds nothing.
 */
class PrivacyWebIT {
    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "privacy");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void anAdminLooksUpErasesWithAConfirmStepAndFollowsItToDone() {
        String email = "privacy-web-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertThat(platform.post("/api/newsletter/subscriptions", Map.of("email", email, "consent", true)).status())
                .isEqualTo(202);

        browser.signInTo("admin@clinic.test", "admin.html");
        browser.waitVisible(By.id("tab-privacy")).click();
        browser.waitVisible(By.id("ex-email"));

        // A bad address is refused next to its field, nothing sent.
        browser.type(By.id("ex-email"), "not-an-address");
        browser.driver.findElement(By.id("export-submit")).click();
        browser.waitUntil("the field error", d -> !d.findElement(By.id("ex-email-error")).getText().isBlank());
        assertThat(browser.driver.findElement(By.id("ex-email")).getDomAttribute("aria-invalid")).isEqualTo("true");

        browser.type(By.id("ex-email"), email);
        browser.driver.findElement(By.id("export-submit")).click();
        browser.waitText(By.id("export-counts"), "pending");
        browser.shot("looked-up");

        // The confirm step: cancel sends nothing.
        browser.type(By.id("er-email"), email);
        browser.type(By.id("er-reason"), "Asked by mail");
        browser.driver.findElement(By.id("erase-submit")).click();
        browser.waitText(By.id("erase-confirm-text"), email);
        browser.shot("confirm-step");
        browser.driver.findElement(By.id("erase-confirm-no")).click();
        browser.waitUntil("the confirm step closed", d -> !d.findElement(By.id("erase-confirm")).isDisplayed());
        assertThat(browser.driver.findElement(By.id("erase-status")).getText()).isBlank();

        browser.driver.findElement(By.id("erase-submit")).click();
        browser.waitVisible(By.id("erase-confirm-yes")).click();
        // Each service erases its part from the event: longer than the browser helper's usual wait.
        new WebDriverWait(browser.driver, Duration.ofSeconds(90)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("erase-status"), "Done: every service has erased its part."));
        assertThat(browser.driver.findElement(By.id("erase-services")).getText())
                .contains("Bookings: erased", "Callbacks: erased", "Mail, reminders and newsletter: erased", "Promo codes: erased");
        browser.shot("erased");

        browser.driver.findElement(By.id("export-submit")).click();
        browser.waitText(By.id("export-status"), "Nothing is held about " + email);
    }
}
