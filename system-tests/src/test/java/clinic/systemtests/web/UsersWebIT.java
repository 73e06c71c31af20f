package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.systemtests.Platform;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Staff accounts are managed in the web front (issue 19): an admin invites a new member of staff
 * on the Users tab, the invitation mail's link opens the set-password page, the chosen password
 * signs in with the roles the admin gave, and once the admin disables the account it no longer does.
 */
class UsersWebIT {
    private static final Pattern LINK = Pattern.compile("/set-password\\.html\\?token=([A-Za-z0-9_%-]+)");

    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "users");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    @Test
    void anAdminInvitesANewMemberOfStaffWhoChoosesAPasswordSignsInAndIsDisabled() {
        String email = "new-staff-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.test";
        String password = "quiet harbour at dawn " + UUID.randomUUID().toString().substring(0, 4);

        browser.go("signin.html");
        browser.js("sessionStorage.clear();");
        browser.go("signin.html");
        browser.type(By.id("username"), "admin@clinic.test");
        browser.type(By.id("password"), "dev-password");
        browser.driver.findElement(By.id("password")).sendKeys(Keys.ENTER);
        browser.waitVisible(By.id("go-admin")).click();
        browser.waitUntil("on admin.html", d -> d.getCurrentUrl().contains("admin.html"));

        browser.waitVisible(By.id("tab-users")).click();
        browser.waitUntil("the users listed", d -> d.findElement(By.id("users-body")).getText().contains("admin@clinic.test"));
        browser.shot("users-list");

        // Nothing filled in: each problem next to its field, nothing sent.
        browser.driver.findElement(By.id("invite-submit")).click();
        browser.waitUntil("field errors shown", d -> !d.findElement(By.id("inv-email-error")).getText().isBlank()
                && !d.findElement(By.id("inv-roles-error")).getText().isBlank());
        assertThat(browser.driver.findElement(By.id("inv-email")).getDomAttribute("aria-invalid")).isEqualTo("true");

        browser.type(By.id("inv-email"), email);
        browser.type(By.id("inv-name"), "Robin Ashby");
        browser.driver.findElement(By.cssSelector("input[name='inv-role'][value='STAFF']")).sendKeys(Keys.SPACE);
        browser.driver.findElement(By.id("invite-submit")).click();
        browser.waitText(By.id("invite-notice"), "Invitation sent to " + email);
        browser.waitUntil("the new user listed", d -> rowOf(email) != null && rowOf(email).getText().contains("Active"));
        browser.shot("user-invited");

        // The invitation mail's link: the set-password page.
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.mail(email).size() >= 1);
        Matcher m = LINK.matcher(platform.mail(email).get(0).toString());
        assertThat(m.find()).as("a set-password link in the invitation").isTrue();
        String token = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        browser.go("set-password.html?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        browser.type(By.id("password"), "Password1234");
        browser.type(By.id("repeat"), "Password1234");
        browser.driver.findElement(By.id("submit")).click();
        browser.waitUntil("a common password refused next to the field",
                d -> !d.findElement(By.id("password-error")).getText().isBlank());
        browser.type(By.id("password"), password);
        browser.type(By.id("repeat"), password);
        browser.driver.findElement(By.id("submit")).click();
        browser.waitText(By.id("page-notice"), "Your password is saved");
        browser.shot("password-saved");

        var signedIn = platform.post("/api/auth/login", Map.of("username", email, "password", password));
        assertThat(signedIn.status()).as(String.valueOf(signedIn.body())).isEqualTo(200);
        assertThat(signedIn.body().get("roles").toString()).isEqualTo("[\"STAFF\"]");

        // Back in the Users tab, the admin disables the account: sign-in is refused from then on.
        browser.go("admin.html#users");
        browser.waitUntil("the new user listed", d -> rowOf(email) != null);
        rowOf(email).findElement(By.xpath(".//button[normalize-space()='Disable']")).click();
        new WebDriverWait(browser.driver, Browser.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
        browser.waitUntil("shown disabled", d -> rowOf(email) != null && rowOf(email).getText().contains("Disabled"));
        browser.shot("user-disabled");
        assertThat(platform.post("/api/auth/login", Map.of("username", email, "password", password)).status())
                .isEqualTo(401);
    }

    private static WebElement rowOf(String email) {
        return browser.driver.findElements(By.cssSelector("#users-body tr")).stream()
                .filter(tr -> tr.getText().contains(email)).findFirst().orElse(null);
    }
}
