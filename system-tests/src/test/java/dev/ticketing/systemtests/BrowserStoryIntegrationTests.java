package dev.ticketing.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web client in two real browsers (headless Debian chromium) against the whole system: a seller and a buyer,
 * each page's live updates arriving from the bus over server-sent events without a reload. Orders expire after
 * {@link #ORDER_WINDOW}, so that one can be watched expiring. On failure every browser's screenshot and page source
 * are kept in {@code target/browser-artifacts/}, the stack's logs in {@code target/stack-logs/browser-story/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserStoryIntegrationTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path ARTIFACTS = Path.of("target", "browser-artifacts");
    private static final Duration ORDER_WINDOW = Duration.ofSeconds(25);
    /** Events cross three processes and the bus; a busy 2-core machine can take a while. */
    private static final Duration LIVE = Duration.ofSeconds(30);

    private final String password = "secret-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, ChromeDriver> browsers = new LinkedHashMap<>();
    private final List<Path> profiles = new ArrayList<>();
    private TestStack stack;
    private URI site;

    @BeforeAll
    void startStack() {
        requireBrowser();
        stack = TestStack.start("browser-story", settings -> settings
                .serviceEnvironment("ORDER_EXPIRATION", ORDER_WINDOW.toString()));
        // Through the edge, as a person would: the API paths go to the services, every other path to the client.
        site = stack.stack().edgeUri();
    }

    @AfterAll
    void stop() {
        browsers.values().forEach(WebDriver::quit);
        profiles.forEach(BrowserStoryIntegrationTests::delete);
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void sellerAndBuyerSeeEachOthersChangesLiveBuyerPaysAfterADeclineAndAnUnpaidOrderExpires() {
        try {
            story();
        } catch (Throwable failure) {
            keepArtifacts("failure");
            throw failure;
        }
    }

    private void story() {
        ChromeDriver seller = browser("seller");
        ChromeDriver buyer = browser("buyer");

        signUp(seller, "seller@example.com");
        String concert = sell(seller, "Jazz night", "20");
        String play = sell(seller, "Chess final", "15");
        sell(seller, "Opera gala", "1250.5");

        signUp(buyer, "buyer@example.com");
        buyer.get(site + "/");
        waitFor(buyer).until(ExpectedConditions.textToBe(price(concert), "$20.00"));
        assertThat(buyer.findElement(By.cssSelector("#ticket-" + concert + " a")).getText()).isEqualTo("Jazz night");
        assertThat(buyer.findElements(By.cssSelector("#tickets tbody tr"))).hasSize(3);
        markPage(buyer);
        screenshot(buyer, ARTIFACTS.resolve("landing.png")); // the root README's docs/screenshot.png

        seller.get(site + "/tickets/" + concert);
        seller.findElement(By.linkText("Edit")).click();
        fill(seller, "price", "25");
        seller.findElement(By.xpath("//button[text()='Save']")).click();
        waitFor(seller).until(ExpectedConditions.textToBe(By.id("ticket-price"), "$25.00"));

        waitFor(buyer).until(ExpectedConditions.textToBe(price(concert), "$25.00"));
        assertNotReloaded(buyer);

        seller.get(site + "/");
        waitFor(seller).until(ExpectedConditions.presenceOfElementLocated(row(concert)));
        markPage(seller);

        buyer.findElement(By.cssSelector("#ticket-" + concert + " a")).click();
        waitFor(buyer).until(ExpectedConditions.textToBe(By.id("ticket-status"), "Available"));
        buyer.findElement(By.xpath("//button[text()='Purchase']")).click();
        waitFor(buyer).until(ExpectedConditions.textToBe(By.id("order-status"), "Awaiting payment"));
        long secondsLeft = Long.parseLong(buyer.findElement(By.id("time-left")).getText());
        assertThat(secondsLeft).isBetween(1L, ORDER_WINDOW.toSeconds());
        waitFor(buyer).until(driver -> Long.parseLong(driver.findElement(By.id("time-left")).getText()) < secondsLeft);

        waitFor(seller).until(ExpectedConditions.numberOfElementsToBe(row(concert), 0));
        assertNotReloaded(seller);

        new Select(buyer.findElement(By.id("token"))).selectByVisibleText("Declined card");
        buyer.findElement(By.xpath("//button[text()='Pay']")).click();
        waitFor(buyer).until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-errors"), "declined"));
        new Select(buyer.findElement(By.id("token"))).selectByVisibleText("Visa (succeeds)");
        buyer.findElement(By.xpath("//button[text()='Pay']")).click();
        waitFor(buyer).until(ExpectedConditions.textToBe(By.id("order-status"), "Paid"));
        waitFor(buyer).until(ExpectedConditions.numberOfElementsToBe(By.id("payment"), 0));

        buyer.get(site + "/tickets/" + play);
        buyer.findElement(By.xpath("//button[text()='Purchase']")).click();
        waitFor(buyer).until(ExpectedConditions.textToBe(By.id("order-status"), "Awaiting payment"));
        markPage(buyer);
        new WebDriverWait(buyer, ORDER_WINDOW.plus(LIVE))
                .until(ExpectedConditions.textToBe(By.id("order-status"), "Expired"));
        assertThat(buyer.findElements(By.id("payment"))).isEmpty();
        assertNotReloaded(buyer);
    }

    private void signUp(WebDriver browser, String email) {
        browser.get(site + "/auth/signup");
        fill(browser, "email", email);
        fill(browser, "password", password);
        browser.findElement(By.xpath("//button[text()='Sign up']")).click();
        waitFor(browser).until(ExpectedConditions.textToBe(By.id("current-user"), email));
    }

    /** Sells a ticket and returns its id, read from the ticket page's address. */
    private String sell(WebDriver browser, String title, String price) {
        browser.get(site + "/tickets/new");
        fill(browser, "title", title);
        fill(browser, "price", price);
        browser.findElement(By.xpath("//button[text()='Sell ticket']")).click();
        waitFor(browser).until(ExpectedConditions.textToBe(By.id("ticket-title"), title));
        String url = browser.getCurrentUrl();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Waits for the field: a click on a boosted link or form swaps the page in a moment later. */
    private static void fill(WebDriver browser, String field, String value) {
        var input = waitFor(browser).until(ExpectedConditions.elementToBeClickable(By.id(field)));
        input.clear();
        input.sendKeys(value);
    }

    private static By row(String ticket) {
        return By.id("ticket-" + ticket);
    }

    private static By price(String ticket) {
        return By.cssSelector("#ticket-" + ticket + " td.price");
    }

    /** A mark in the page's window object: gone if the page is loaded again (htmx's boosted links keep it). */
    private static void markPage(WebDriver browser) {
        ((JavascriptExecutor) browser).executeScript("window.pageMark = 'unchanged';");
    }

    private static void assertNotReloaded(WebDriver browser) {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pageMark;")).isEqualTo("unchanged");
    }

    private static WebDriverWait waitFor(WebDriver browser) {
        return new WebDriverWait(browser, LIVE);
    }

    /** Fails at once, saying what to install, when the machine has no chromium: never a skipped test. */
    private static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium at " + CHROMIUM + " and its driver at "
                    + CHROMEDRIVER + ": apt-get install chromium chromium-driver (.ci/run does it)");
        }
    }

    /** Headless chromium with a fresh profile; both binaries given, so Selenium Manager downloads nothing. */
    private ChromeDriver browser(String name) {
        Path profile;
        try {
            profile = Files.createTempDirectory("ticketing-browser-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,700", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browsers.put(name, browser);
        return browser;
    }

    private void keepArtifacts(String prefix) {
        browsers.forEach((name, browser) -> {
            try {
                screenshot(browser, ARTIFACTS.resolve(prefix + "-" + name + ".png"));
                Files.writeString(ARTIFACTS.resolve(prefix + "-" + name + ".html"),
                        "<!-- " + browser.getCurrentUrl() + " -->\n" + browser.getPageSource(), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                System.err.println("Could not keep the " + name + " browser's page: " + e);
            }
        });
    }

    private static void screenshot(ChromeDriver browser, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }
}
