package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Journeys;
import clinic.systemtests.Platform;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A colleague went home with a callback claimed: an admin on the board releases the claim (the
 * task is open again for anyone) and then gives it to a named colleague; the server agrees at
 * each step, and the board follows without a reload.
 */
class ClaimAdminWebIT {
    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "claim-admin");
        browser.signInTo("admin@clinic.test", "staff.html");
        browser.waitFor(By.cssSelector("#conn.live"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    private WebElement card(String id) {
        return browser.waitFor(By.cssSelector("li.task[data-id='" + id + "']"));
    }

    private String listOf(String id) {
        return card(id).findElement(By.xpath("ancestor::ul")).getDomAttribute("id");
    }

    @Test
    void anAdminReleasesAColleaguesClaimAndGivesTheTaskToSomeoneElse() {
        String name = "Claim Admin " + UUID.randomUUID().toString().substring(0, 8);
        var asked = platform.post("/api/callbacks", Journeys.callback(name, null, "sheffield"));
        assertThat(asked.status()).as("callback: %s", asked.body()).isEqualTo(202);
        String id = asked.body().get("id").asText();
        String staff = platform.token("staff@clinic.test");
        assertThat(platform.post("/api/staff/callbacks/" + id + "/claim", Map.of(), "Authorization", staff).status())
                .isEqualTo(200);

        browser.waitUntil("claimed by the colleague on the admin's board", d ->
                "claimed-list".equals(listOf(id)) && card(id).getText().contains("Claimed by staff@clinic.test"));
        card(id).findElement(By.cssSelector("button[data-role='release']")).click();
        browser.waitUntil("open again", d -> "open-list".equals(listOf(id)));
        assertThat(platform.get("/api/staff/callbacks/" + id, "Authorization", staff).body().get("status").asText())
                .isEqualTo("OPEN");
        browser.shot("claim-released");

        card(id).findElement(By.cssSelector("input[data-role='reassign-to']")).sendKeys("staff@clinic.test");
        card(id).findElement(By.cssSelector("button[data-role='reassign']")).click();
        browser.waitUntil("given to the colleague", d ->
                "claimed-list".equals(listOf(id)) && card(id).getText().contains("Claimed by staff@clinic.test"));
        var task = platform.get("/api/staff/callbacks/" + id, "Authorization", staff).body();
        assertThat(task.get("status").asText()).isEqualTo("CLAIMED");
        assertThat(task.get("claimedBy").asText()).isEqualTo("staff@clinic.test");
        browser.shot("claim-reassigned");
    }
}
