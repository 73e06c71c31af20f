package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Journeys;
import clinic.systemtests.Platform;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The web front's sign-in (issue 19) and the board's session (issue 25): the credential is an
 * HttpOnly, SameSite cookie no script can read, nothing token-like is kept in the browser's
 * storage, a write without the session's CSRF token is refused, and an action taken on the board
 * after the session ended is kept: the page asks for the password and then completes it.
 */
class WebSessionWebIT {
    static final String COOKIE = "CLINIC_SESSION";
    static Platform platform;
    static Browser browser;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        browser = Browser.open(platform, "web-session");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
    }

    /** Signed in as staff afresh (whatever an earlier test left), on the live board. */
    static void signInToTheBoard() {
        browser.go("signin.html");
        browser.js("sessionStorage.clear();");
        browser.signIn("staff@clinic.test", "staff.html");
        browser.waitFor(By.cssSelector("#conn.live"));
    }

    static WebElement card(String name) {
        Object id = browser.js("const n = [...document.querySelectorAll('.task-name')].find(e => e.textContent === arguments[0]);"
                + "return n ? n.closest('li.task').dataset.id : null;", name);
        return id == null ? null : browser.driver.findElement(By.cssSelector("li.task[data-id='" + id + "']"));
    }

    @Test
    void theSessionIsAnHttpOnlySameSiteCookieNothingTokenLikeIsStoredAndAWriteWithoutTheCsrfTokenIsRefused() {
        signInToTheBoard();
        Cookie cookie = browser.driver.manage().getCookieNamed(COOKIE);
        assertThat(cookie).as("the session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(cookie.getSameSite()).as("SameSite").isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/");
        // The local profile serves plain http, so Secure is off here; on by default (gateway SessionTest).
        browser.shot("board-signed-in");

        String stored = (String) browser.js("return JSON.stringify({session: Object.assign({}, sessionStorage),"
                + " local: Object.assign({}, localStorage), cookies: document.cookie});");
        assertThat(stored).as("what scripts can read")
                .doesNotContain(cookie.getValue())
                .doesNotContain(COOKIE)
                .doesNotContain("accessToken")
                .doesNotContain("eyJ") // the start of any JWT
                .doesNotContain("csrf");
        assertThat(stored).contains("staff@clinic.test"); // who is signed in, for the header: display only

        // A forged request (the cookie goes along; the CSRF token, which no other site can learn, does not).
        String forged = (String) ((JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/staff/callbacks/' + arguments[0] + '/claim', {method: 'POST', credentials: 'include',"
                        + " headers: {'Content-Type': 'application/json'}, body: '{}'})"
                        + ".then(async r => done(r.status + ' ' + await r.text())).catch(e => done('error ' + e));",
                UUID.randomUUID().toString());
        assertThat(forged).startsWith("403 ").contains("csrf_token_invalid");
        // The same session still reads (GETs need no token), so the refusal was the missing token alone.
        String read = (String) ((JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/auth/session', {credentials: 'same-origin'}).then(r => done(String(r.status)));");
        assertThat(read).isEqualTo("200");
    }

    @Test
    void theBoardRenewsTheSessionWhileItIsInUse() {
        signInToTheBoard();
        // Each GET /api/auth/session starts the idle timeout again on the server (gateway SessionTest).
        String asked = "return performance.getEntriesByType('resource')"
                + ".filter(e => new URL(e.name).pathname === '/api/auth/session').length;";
        long before = ((Number) browser.js(asked)).longValue();
        new Actions(browser.driver).sendKeys(Keys.SHIFT).perform();
        browser.waitUntil("the session renewed on use", d -> ((Number) browser.js(asked)).longValue() == before + 1);
        assertThat(browser.driver.findElements(By.cssSelector("#session-warning:not([hidden])"))).as("no warning while in use").isEmpty();
    }

    @Test
    void anActionTakenOnTheBoardAfterTheSessionEndedIsKeptAndCompletesAfterSigningInAgain() {
        signInToTheBoard();
        browser.js("window.__notReloaded = true;");
        String name = "Session Web " + UUID.randomUUID().toString().substring(0, 8);
        Platform.Response made = platform.post("/api/callbacks", Journeys.callback(name, null, "doncaster"));
        assertThat(made.status()).isBetween(200, 202);
        browser.waitUntil("the request on the board", d -> card(name) != null);

        // The session ends on the server (as at its idle or absolute end) while the board stays open.
        String before = browser.driver.manage().getCookieNamed(COOKIE).getValue();
        Platform.Response who = platform.get("/api/auth/session", "Cookie", COOKIE + "=" + before);
        assertThat(who.status()).isEqualTo(200);
        assertThat(platform.delete("/api/auth/session", "Cookie", COOKIE + "=" + before,
                "X-CSRF-Token", who.body().get("csrfToken").asText()).status()).isEqualTo(204);
        assertThat(platform.get("/api/auth/session", "Cookie", COOKIE + "=" + before).status()).isEqualTo(401);

        // Claim: the page asks for the password in place, then claims; nothing is lost, no reload.
        card(name).findElement(By.cssSelector("button[data-role='claim']")).click();
        WebElement dialog = browser.waitVisible(By.id("reauth-dialog"));
        assertThat(dialog.getText()).contains("Sign in again");
        assertThat(browser.driver.findElement(By.id("reauth-username")).getDomProperty("value")).isEqualTo("staff@clinic.test");
        assertThat(browser.driver.switchTo().activeElement().getDomAttribute("id")).as("focus on the password").isEqualTo("reauth-password");
        browser.shot("session-ended-dialog");
        // A wrong password first: said next to the form, the dialog stays.
        browser.type(By.id("reauth-password"), "not-the-password");
        browser.driver.findElement(By.id("reauth-submit")).click();
        browser.waitUntil("the refusal shown", d -> d.findElement(By.id("reauth-notice")).getText().contains("don’t match"));
        browser.type(By.id("reauth-password"), "dev-password");
        browser.driver.findElement(By.id("reauth-submit")).click();

        browser.waitUntil("the claim completed after signing in again", d -> {
            WebElement c = card(name);
            return c != null && "CLAIMED".equals(c.getDomAttribute("data-status")) && c.getText().contains("Claimed by you");
        });
        assertThat(browser.driver.findElements(By.id("reauth-dialog"))).as("dialog gone").isEmpty();
        assertThat(browser.js("return window.__notReloaded === true;")).as("board was not reloaded").isEqualTo(true);
        String after = browser.driver.manage().getCookieNamed(COOKIE).getValue();
        assertThat(after).as("a new session").isNotEqualTo(before);
        browser.shot("claimed-after-signing-in-again");

        // Signing out from the header ends the session on the server too.
        browser.driver.findElement(By.cssSelector("#account button")).click();
        browser.waitUntil("on the sign-in page", d -> d.getCurrentUrl().contains("signin.html"));
        assertThat(platform.get("/api/auth/session", "Cookie", COOKIE + "=" + after).status()).isEqualTo(401);
    }
}
