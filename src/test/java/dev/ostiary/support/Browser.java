package dev.ostiary.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium through its ChromeDriver, headless. Both paths are set explicitly: otherwise
 * Selenium Manager tries to download a browser. When they are missing the test is skipped with the
 * command that installs them, except under CI, where a missing browser is a failure.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    public static ChromeDriver start() {
        return start(java.util.List.of());
    }

    /** With more command-line switches, e.g. the cluster suite's trust in its certificate's key. */
    public static ChromeDriver start(java.util.List<String> extraArguments) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("Browser tests need chromium and chromedriver under CI");
        }
        assumeTrue(installed, "Browser tests skipped: install Chromium and its driver with"
                + " `sudo apt-get install -y chromium chromium-driver`");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1100,900");
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return driver;
    }

    /**
     * Clicks what leads to another page (a link, a form's button) and waits until the page it was on has
     * gone and the next one is loaded. Waiting only for an element of the next page is not enough when the
     * page clicked on has one of that id too (a "done" notice after one job, then another): the old one is
     * found, and replaced under the next lookup (a stale element).
     */
    public static void follow(ChromeDriver driver, WebElement element) {
        // the page clicked on is marked; a new document has no mark. (Selenium's stalenessOf asks the old
        // element, and ChromeDriver answers a node of a document being replaced with an unknown error,
        // not a stale reference.) While the documents change, a script may fail: asked again.
        driver.executeScript("window.ostiaryLeaving = true");
        element.click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(WebDriverException.class).until(d ->
                Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "return window.ostiaryLeaving === undefined && document.readyState === 'complete'")));
    }

    /** Saves a screenshot under target/screenshots, for people to look at. */
    public static void screenshot(ChromeDriver driver, String name) {
        try {
            Path directory = Path.of("target", "screenshots");
            Files.createDirectories(directory);
            Files.write(directory.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
