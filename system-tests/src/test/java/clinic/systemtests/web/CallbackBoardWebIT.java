package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.systemtests.Platform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A customer asks for a callback in one tab; the signed-in staff board in another shows it
 * within 2 s without a reload, and staff work it with one click per step.
 */
class CallbackBoardWebIT {
    static Platform platform;
    static Browser browser;
    static String boardTab;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "callback-board");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    /** The staff board, signed in and live, in its own tab; marked so a reload would show. */
    static void openBoard() {
        if (boardTab == null) {
            boardTab = browser.driver.getWindowHandle();
            browser.signIn("staff@clinic.test", "staff.html");
        }
        browser.driver.switchTo().window(boardTab);
        browser.waitFor(By.cssSelector("#conn.live"));
        browser.js("window.__notReloaded = true;");
    }

    static WebElement card(String name) {
        Object id = browser.js("const n = [...document.querySelectorAll('.task-name')].find(e => e.textContent === arguments[0]);"
                + "return n ? n.closest('li.task').dataset.id : null;", name);
        return id == null ? null : browser.driver.findElement(By.cssSelector("li.task[data-id='" + id + "']"));
    }

    @Test
    void aCallbackRequestAppearsOnTheStaffBoardWithin2sAndIsWorkedInOneClickEach() {
        openBoard();
        browser.shot("board-before");

        String name = "Callback Web " + UUID.randomUUID().toString().substring(0, 8);
        browser.driver.switchTo().newWindow(WindowType.TAB);
        String customerTab = browser.driver.getWindowHandle();
        browser.go("callback.html");
        browser.type(By.id("name"), name);
        String phone = clinic.systemtests.Journeys.uniqueMobile();
        browser.type(By.id("phone"), phone);
        browser.type(By.id("email"), "callback-web@example.com");
        browser.select(By.id("location"), "doncaster");
        new Select(browser.driver.findElement(By.id("preferred"))).selectByValue("morning");
        browser.type(By.id("message"), "My hamstring is tight after the half marathon.");
        WebElement terms = browser.driver.findElement(By.id("terms"));
        assertThat(terms.isSelected()).as("terms start unticked").isFalse();
        assertThat(browser.driver.findElement(By.id("marketing")).isSelected()).as("marketing starts unticked").isFalse();

        // Without the terms ticked the form refuses and says why, next to the box.
        browser.driver.findElement(By.id("submit")).click();
        assertThat(browser.driver.findElement(By.id("terms-error")).getText()).contains("terms");
        browser.shot("callback-terms-missing");

        terms.click();
        browser.shot("callback-filled");
        long t0 = System.nanoTime();
        browser.driver.findElement(By.id("submit")).click();
        browser.waitVisible(By.id("done"));
        assertThat(browser.driver.findElement(By.id("done-text")).getText()).contains(name);
        browser.shot("callback-confirmation");

        browser.driver.switchTo().window(boardTab);
        // The 2 s goal is measured and reported (target/measurements.txt), not asserted: timing belongs
        // to benchmarks. What must hold is that it arrives live, without a reload.
        try {
            new WebDriverWait(browser.driver, Duration.ofSeconds(15), Duration.ofMillis(50)).until(d -> card(name) != null);
        } catch (TimeoutException e) {
            browser.shot("board-missing-request");
            throw new AssertionError("the request did not appear on the board without a reload; console:\n"
                    + browser.console(), e);
        }
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        clinic.systemtests.Measurements.record("web: callback submit → card on the staff board (ms)", ms);
        assertThat(browser.js("return window.__notReloaded === true;")).as("board was not reloaded").isEqualTo(true);
        WebElement card = card(name);
        assertThat(card.findElement(By.xpath("ancestor::ul")).getDomAttribute("id")).isEqualTo("open-list");
        assertThat(card.getText()).contains(phone).contains("Doncaster").contains("hamstring");
        // Unclaimed: the claim comes first; the outcome forms appear once it is yours.
        assertThat(card.findElements(By.cssSelector("button[data-role='attempt-btn'], button[data-role='complete-btn']")))
                .as("no outcome buttons before the claim").isEmpty();
        browser.shot("board-new-request");

        // One click to claim it: it moves to "In progress", claimed by me.
        card.findElement(By.cssSelector("button[data-role='claim']")).click();
        browser.waitUntil("claimed card in progress", d -> {
            WebElement c = card(name);
            return c != null && "CLAIMED".equals(c.getDomAttribute("data-status")) && c.getText().contains("Claimed by you");
        });
        browser.shot("board-claimed");

        // Log an attempt: outcome and one click.
        WebElement claimed = card(name);
        String id = claimed.getDomAttribute("data-id");
        new Select(claimed.findElement(By.id("attempt-" + id))).selectByValue("NO_ANSWER");
        claimed.findElement(By.id("note-" + id)).sendKeys("Rang twice, try after 5");
        claimed.findElement(By.cssSelector("button[data-role='attempt-btn']")).click();
        browser.waitUntil("attempt shown with its note", d -> card(name) != null && card(name).getText().contains("1 attempt")
                && card(name).getText().contains("Note: Rang twice, try after 5"));
        browser.shot("board-attempt-logged");

        // A completion can be undone for a few seconds: undone, the callback stays claimed, on the
        // board and on the server.
        WebElement toUndo = card(name);
        new Select(toUndo.findElement(By.id("complete-" + id))).selectByValue("NOT_INTERESTED");
        toUndo.findElement(By.cssSelector("button[data-role='complete-btn']")).click();
        browser.waitVisible(By.cssSelector("li.task[data-id='" + id + "'] [data-role='undo']")).click();
        browser.waitUntil("undo leaves it claimed", d -> card(name) != null
                && "CLAIMED".equals(card(name).getDomAttribute("data-status"))
                && card(name).findElements(By.cssSelector("[data-role='completing']")).isEmpty());
        // For longer than the undo window: nothing was sent.
        String token = platform.token("staff@clinic.test");
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(12))
                .until(() -> "CLAIMED".equals(platform.get("/api/staff/callbacks/" + id, "Authorization", token)
                        .body().get("status").asText()));
        browser.shot("board-completion-undone");

        // Complete it: it leaves the waiting and in-progress lists for "Completed", with its outcome.
        WebElement again = card(name);
        new Select(again.findElement(By.id("complete-" + id))).selectByValue("BOOKED");
        again.findElement(By.cssSelector("button[data-role='complete-btn']")).click();
        browser.waitUntil("completed card in Completed", d -> card(name) != null
                && "completed-list".equals(card(name).findElement(By.xpath("ancestor::ul")).getDomAttribute("id")));
        assertThat(card(name).findElements(By.tagName("button"))).as("nothing left to do on it").isEmpty();
        assertThat(card(name).findElement(By.cssSelector("[data-role='outcome']")).getText()).isEqualTo("Booked in");
        browser.shot("board-completed");

        browser.driver.switchTo().window(customerTab).close();
        browser.driver.switchTo().window(boardTab);
    }

    /**
     * The board reads its lists and opens its stream at once; the stream carries only what commits
     * after it is live. A request made after the first list was read but before the stream is live
     * must still show: here the stream is held back (Chromium blocks its URL) until the request has
     * been made, then let through.
     */
    @Test
    void aRequestMadeWhileTheBoardIsStillConnectingShowsOnceItIsLive() {
        openBoard();
        ChromeDriver chrome = (ChromeDriver) browser.driver;
        chrome.executeCdpCommand("Network.enable", Map.of());
        try {
            chrome.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/staff/callbacks/stream*")));
            browser.go("staff.html");
            browser.waitFor(By.cssSelector("#conn.down"));
            browser.waitUntil("the first lists read", d -> Boolean.TRUE.equals(browser.js(
                    "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/staff/callbacks?status=')"
                            + " && e.responseEnd > 0).length >= 2;")));

            String name = "Callback Gap " + UUID.randomUUID().toString().substring(0, 8);
            Platform.Response r = platform.post("/api/callbacks", clinic.systemtests.Journeys.callback(name, null, "rotherham"));
            assertThat(r.status()).as("callback accepted: %s", r.body()).isEqualTo(202);
            assertThat(card(name)).as("not on the board before the stream is live").isNull();

            chrome.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
            browser.waitFor(By.cssSelector("#conn.live"));
            browser.waitUntil("the request on the board", d -> card(name) != null);
            browser.shot("board-gap-closed");
        } finally {
            chrome.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
    }

    /**
     * A list answer read before a request was made can arrive after the stream has shown that
     * request (a CI run caught it: the new card was taken off "Open" by the older list). Here the
     * board's list answers are held in the page until the stream has shown the new request, then
     * let through: the card must stay where the stream put it.
     */
    @Test
    void aListReadBeforeARequestDoesNotTakeItsCardAwayWhenItArrivesLate() {
        try (Browser late = Browser.open(platform, "callback-board-late-list")) {
            late.signIn("staff@clinic.test", "staff.html");
            ((ChromeDriver) late.driver).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                    (() => {
                      const real = window.fetch.bind(window);
                      window.__held = [];
                      window.__hold = true;
                      window.fetch = async (input, init) => {
                        const answer = await real(input, init);
                        const url = String(input && input.url ? input.url : input);
                        if (window.__hold && url.includes('/api/staff/callbacks?status=')) {
                          await new Promise((release) => window.__held.push(release));
                        }
                        return answer;
                      };
                      window.__release = () => { window.__hold = false; window.__held.splice(0).forEach((f) => f()); };
                    })();"""));
            late.go("staff.html");
            late.waitFor(By.cssSelector("#conn.live"));
            // The lists of (at least) the first read: answered, held in the page.
            late.waitUntil("the lists answered and held", d -> ((Number) late.js("return window.__held.length;")).intValue() >= 2);

            String name = "Callback Late List " + UUID.randomUUID().toString().substring(0, 8);
            Platform.Response r = platform.post("/api/callbacks", clinic.systemtests.Journeys.callback(name, null, "chesterfield"));
            assertThat(r.status()).as("callback accepted: %s", r.body()).isEqualTo(202);
            String cardList = "const n = [...document.querySelectorAll('.task-name')].find(e => e.textContent === arguments[0]);"
                    + "return n ? n.closest('ul').id : null;";
            late.waitUntil("the request on the board from the stream", d -> "open-list".equals(late.js(cardList, name)));

            late.js("window.__release();");
            // The held answers are applied within milliseconds of their release; give them a second.
            ((org.openqa.selenium.JavascriptExecutor) late.driver).executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; setTimeout(done, 1000);");
            assertThat(late.js("return window.__held.length;")).isEqualTo(0L);
            assertThat(late.js(cardList, name)).as("the card after the older lists arrived").isEqualTo("open-list");
            late.shot("board-late-list");
        }
    }

    @Test
    void aNameWithScriptTagsShowsAsTextOnTheStaffBoard() {
        openBoard();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String name = "Eve " + tag + " <script>alert(1)</script><img src=x onerror=alert(2)>";
        Platform.Response r = platform.post("/api/callbacks", Map.of(
                "name", name,
                "phone", clinic.systemtests.Journeys.uniqueMobile(),
                "message", "<b>bold?</b> <script>alert(3)</script>",
                "consent", Map.of("termsAndPrivacy", true, "policyVersion", "2026-01")));
        assertThat(r.status()).as("callback accepted: %s", r.body()).isEqualTo(202);

        browser.waitUntil("the request on the board", d -> card(name) != null);
        WebElement card = card(name);
        assertThat(card.findElement(By.className("task-name")).getText()).isEqualTo(name);
        assertThat(card.getText()).contains("<b>bold?</b> <script>alert(3)</script>");
        assertThat(card.findElements(By.tagName("script"))).isEmpty();
        assertThat(card.findElements(By.tagName("img"))).isEmpty();
        assertThat(card.findElements(By.tagName("b"))).isEmpty();
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.shot("board-script-name-as-text");
    }
}
