package clinic.systemtests.web;

import clinic.systemtests.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium per test class, driving the web front the gateway serves. The driver is
 * Debian's chromedriver with Debian's chromium: Selenium Manager is never asked to download
 * anything. Every page state worth seeing is saved as a PNG under {@code clinic.screenshots}.
 */
final class Browser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final WebDriver driver;
    final Platform platform;
    private final Path shots;
    private int shotNo;

    private Browser(Platform platform, String name) {
        this.platform = platform;
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--window-size=1280,900",
                // Chromium refuses some ports outright (ERR_UNSAFE_PORT), 10080 among them: the gateway
                // at port offset 2000. Allow the gateway's port, whatever offset the run uses.
                "--explicitly-allowed-ports=" + java.net.URI.create(platform.gateway).getPort());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        this.driver = new ChromeDriver(o);
        // A page that has not loaded in 30 s is reported as such, not after the client's 180 s.
        driver.manage().timeouts().pageLoadTimeout(java.time.Duration.ofSeconds(30));
        this.shots = Path.of(System.getProperty("clinic.screenshots", "target/screenshots")).toAbsolutePath().resolve(name);
    }

    static Browser open(Platform platform, String name) {
        return new Browser(platform, name);
    }

    /** Opens a page of the web front, e.g. {@code "book.html"}. */
    void go(String page) {
        try {
            driver.get(platform.gateway + "/" + page);
        } catch (org.openqa.selenium.TimeoutException e) {
            // Seen twice in CI runs, never reproduced: a page whose load never completed. Keep the
            // evidence (picture, log line) and reload once, as a person would; a second hang fails.
            shot("load-hung-" + page.replace('/', '_'));
            System.err.println("Browser: " + page + " did not finish loading in 30 s; reloading once");
            driver.get(platform.gateway + "/" + page);
        }
    }

    /**
     * Presses {@code submit} and waits for {@code done}. On a loaded machine a first write can meet
     * the gateway's 5 s downstream timeout (the page then shows "temporarily unavailable" in
     * {@code notice}): keep the picture and press once more, as a person would; a second failure fails.
     */
    WebElement submitAndWait(By submit, By done, By notice) {
        driver.findElement(submit).click();
        try {
            new WebDriverWait(driver, WAIT).until(d -> !d.findElements(done).isEmpty() && d.findElement(done).isDisplayed()
                    || !d.findElements(notice).isEmpty() && d.findElement(notice).isDisplayed()
                    && !d.findElement(notice).getText().isBlank());
        } catch (org.openqa.selenium.TimeoutException slow) {
            // neither yet: fall through to the final wait
        }
        if (!driver.findElement(done).isDisplayed() && driver.findElement(notice).isDisplayed()) {
            shot("submit-failed-once");
            System.err.println("Browser: first submit answered: " + driver.findElement(notice).getText() + "; pressing again");
            driver.findElement(submit).click();
        }
        return waitVisible(done);
    }

    /** Opens a page and waits for an element; reloads once if it did not come (see submitAndWait). */
    WebElement goAndWait(String page, By by) {
        go(page);
        try {
            return waitVisible(by);
        } catch (org.openqa.selenium.TimeoutException slow) {
            shot("not-shown-" + page.replace('/', '_'));
            System.err.println("Browser: " + by + " not shown on " + page + "; reloading once");
            go(page);
            return waitVisible(by);
        }
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    WebElement waitVisible(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void waitText(By by, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    void waitUntil(String what, java.util.function.Function<WebDriver, Boolean> condition) {
        // The pages re-render lists when live updates arrive: an element found a moment ago may be
        // replaced before it is read. That is "not yet", not a failure: look again.
        try {
            new WebDriverWait(driver, WAIT).withMessage(what)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            // A wait that runs out is the usual way a browser test fails: keep what the page showed
            // and said, or a failure seen once in CI cannot be explained afterwards.
            Path picture = shot("timed-out-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw new AssertionError("timed out waiting for " + what + " (picture: " + picture + ")\nconsole:\n" + console(), e);
        }
    }

    void type(By by, String text) {
        WebElement e = waitVisible(by);
        e.clear();
        e.sendKeys(text);
    }

    void select(By by, String value) {
        waitFor(By.cssSelector("#" + driver.findElement(by).getDomAttribute("id") + " option[value='" + value + "']"));
        new Select(driver.findElement(by)).selectByValue(value);
    }

    /** Date inputs take typed text in the browser's locale; setting the value is locale-proof. */
    void setValue(By by, String value) {
        js("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", waitFor(by), value);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Signs in through signin.html and waits for the page the role lands on. */
    void signIn(String username, String landsOn) {
        signInAt("signin.html", username, landsOn);
    }

    /** Signs in asking for one page (as a link to it does when signed out): for roles with a choice of pages. */
    void signInTo(String username, String page) {
        signInAt("signin.html?next=" + page, username, page);
    }

    private void signInAt(String signInPage, String username, String landsOn) {
        go(signInPage);
        type(By.id("username"), username);
        type(By.id("password"), "dev-password");
        shot("signin-filled");
        driver.findElement(By.id("submit")).click();
        waitUntil("signed in and on " + landsOn, d -> d.getCurrentUrl().contains(landsOn));
    }

    /** Saves the whole page (the window grows to the page's height for the picture). */
    Path shot(String state) {
        try {
            Files.createDirectories(shots);
            Dimension before = driver.manage().window().getSize();
            Number height = (Number) js("return Math.min(document.documentElement.scrollHeight, 6000);");
            driver.manage().window().setSize(new Dimension(before.getWidth(), Math.max(before.getHeight(), height.intValue() + 140)));
            Path file = shots.resolve(String.format("%02d-%s.png", ++shotNo, state));
            Path tmp = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            driver.manage().window().setSize(before);
            return file;
        } catch (IOException | RuntimeException e) {
            System.err.println("could not save screenshot " + state + ": " + e);
            return null;
        }
    }

    /** The browser console so far, for failure messages. */
    String console() {
        try {
            List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
            StringBuilder sb = new StringBuilder();
            for (LogEntry e : entries) sb.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n');
            return sb.toString();
        } catch (RuntimeException e) {
            return "(console not available: " + e + ")";
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    static String money(long pence) {
        return String.format("£%d.%02d", pence / 100, pence % 100);
    }
}
