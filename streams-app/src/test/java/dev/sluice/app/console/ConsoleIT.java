package dev.sluice.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.app.query.GoldData;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;

/**
 * The web console in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium) against a running
 * instance on the real broker, registry and Connect worker: it draws the topology, lists the connectors (or says
 * there are none), shows dead letters without their content and the alert they fire, finds a dead letter in the
 * dead-letters view and counts it in a dry-run redrive, and answers a query typed into its form. Saves a screenshot
 * as target/console.png. Skipped, saying why, where Chromium is not installed.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ConsoleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PII = "max.mustermann@example.net";

    @Test
    void theConsoleShowsThePipelineAndAnswersAQuery(KafkaBroker kafka, RegistryServer registry,
            ConnectWorker connect) throws Exception {
        Optional<Path> chromium = executable("chromium");
        Optional<Path> chromedriver = executable("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "headless Chromium not installed: apt-get install -y chromium chromium-driver");
        PipelineTopics topics = AppInstance.topics("console-it");
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(topics));
        settings.put("sluice.connect.url", connect.restUrl());
        // Any dead letter fires the dead-letter-rate alert at the next evaluation: the Alerts panel shows it.
        settings.put("sluice.alerts.enabled", "true");
        settings.put("sluice.alerts.interval", "1s");
        settings.put("sluice.alerts.rules.dead-letter-rate.threshold", "0");
        settings.put("sluice.alerts.rules.dead-letter-rate.for-duration", "0s");
        try (AppInstance app = AppInstance.start(kafka, registry, "console-it", settings)) {
            GoldData.Expected expected = GoldData.produce(kafka, registry.url(), topics, 5, 4, 12, 3,
                    Instant.now().minusSeconds(90));
            deadLetter(kafka, topics);
            String orders = expected.customerOrders.get(2L).toString();
            Await.until("every order of customer 2 in gold", TIMEOUT,
                    () -> app.get("/api/stores/customer-totals/2").body().contains("\"orderCount\":" + orders + ","));
            // The dead letter and the alert it fires, once the API has them: the page shows them on its first load
            // instead of at a refresh seconds later (its panels refresh every few seconds).
            Await.until("the dead letter among the recent ones", TIMEOUT, () -> app
                    .get("/api/status/dead-letters/recent?limit=20").body().contains("DESERIALIZATION_FAILED"));
            Await.until("the dead-letter alert raised", TIMEOUT,
                    () -> app.get("/api/alerts").body().contains("dead-letter-rate"));

            WebDriver browser = browser(chromium.get(), chromedriver.get());
            try {
                browser.get(app.url() + "/");
                Await.until("topology drawn", TIMEOUT,
                        () -> !browser.findElements(By.cssSelector("#topology svg g.node")).isEmpty());
                assertFalse(browser.findElements(By.cssSelector(
                        "#topology g.node[data-id='store:customer-totals']")).isEmpty(), "gold store drawn");
                assertTrue(browser.findElements(By.cssSelector("#topology g.node[data-type='source']")).size() >= 7,
                        "a source per bronze topic at least");

                Await.until("connectors listed", TIMEOUT, () -> connectorsShown(browser));
                Await.until("dead letter shown", TIMEOUT, () -> browser.findElement(By.cssSelector("#dlq-recent"))
                        .getText().contains("DESERIALIZATION_FAILED"));
                Await.until("dead-letter alert shown", TIMEOUT, () -> browser.findElement(By.id("alerts"))
                        .getText().contains("dead-letter-rate"));
                Await.until("counters filled", TIMEOUT, () -> !"–".equals(browser.findElement(By.id("dlq-total"))
                        .getText()));
                Await.until("freshness shown", TIMEOUT, () -> browser.findElement(By.id("freshness")).getText()
                        .contains("customer_totals gold"));
                String freshness = browser.findElement(By.id("freshness")).getText();
                assertTrue(freshness.contains("orders silver"), freshness);
                // The test rows say they were committed at PipelineDriver.NOW, far behind the real clock.
                assertTrue(freshness.contains("BREACHED"), freshness);

                browser.findElement(By.cssSelector("#q-store option[value='customer-totals']")).click();
                browser.findElement(By.cssSelector("#q-mode option[value='key']")).click();
                browser.findElement(By.id("q-key")).sendKeys("2");
                browser.findElement(By.id("q-run")).click();
                Await.until("query answered", TIMEOUT, () -> browser.findElement(By.id("query-result")).getText()
                        .contains("orderCount"));
                WebElement result = browser.findElement(By.id("query-result"));
                assertTrue(result.getText().contains("orderCount " + orders), result.getText());
                assertTrue(browser.findElement(By.id("query-meta")).getText().contains("served by "
                        + app.authority()));

                // The dead-letters view finds the dead letter by its headers, and a dry run counts it as redrivable.
                browser.findElement(By.cssSelector("#dl-stage option[value='deserialize']")).click();
                browser.findElement(By.id("dl-source")).sendKeys(topics.getUserEvents());
                browser.findElement(By.id("dl-find")).click();
                Await.until("dead letters found", TIMEOUT, () -> browser.findElement(By.id("dl-list")).getText()
                        .contains("DESERIALIZATION_FAILED"));
                assertEquals(1, browser.findElements(By.cssSelector("#dl-list tbody tr")).size());
                browser.findElement(By.id("dl-dry")).click();
                Await.until("dry run answered", TIMEOUT, () -> browser.findElement(By.id("dl-message")).getText()
                        .startsWith("dry run: would redrive 1 of 1 selected"));

                // The datasets view lists the directory's specifications and loads one into the editor; a broken
                // edit is refused by the API and the page shows why, naming the file and the field.
                Await.until("datasets listed", TIMEOUT, () -> !browser.findElements(By.cssSelector(
                        "#datasets tr[data-dataset='customers']")).isEmpty());
                assertTrue(browser.findElement(By.id("datasets-restart")).getText().startsWith(
                        "the topology runs every dataset"), browser.findElement(By.id("datasets-restart")).getText());
                browser.findElement(By.cssSelector("#datasets tr[data-dataset='customers'] a")).click();
                WebElement yaml = browser.findElement(By.id("ds-yaml"));
                Await.until("specification loaded", TIMEOUT, () -> yaml.getAttribute("value")
                        .contains("name: customers"));
                String broken = yaml.getAttribute("value").replace("kind: cdc", "kind: cdcx");
                yaml.clear();
                yaml.sendKeys(broken);
                browser.findElement(By.id("ds-validate")).click();
                Await.until("refusal shown", TIMEOUT, () -> browser.findElement(By.id("ds-message")).getText()
                        .contains("customers.yaml: source.kind: must be one of cdc, jdbc, topic (was 'cdcx')"));

                assertFalse(browser.getPageSource().contains(PII), "no dead letter content on the page");
                Path screenshot = Path.of("target", "console.png");
                Files.write(screenshot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
                assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page");
            } catch (RuntimeException | AssertionError e) {
                Files.writeString(Path.of("target", "console-failed.html"), browser.getPageSource());
                Files.write(Path.of("target", "console-failed.png"), ((ChromeDriver) browser)
                        .getScreenshotAs(OutputType.BYTES));
                throw e;
            } finally {
                browser.quit();
            }
        }
    }

    private static boolean connectorsShown(WebDriver browser) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#connectors tbody tr"));
        if (rows.isEmpty()) {
            return false;
        }
        String text = rows.get(0).getText();
        return rows.get(0).getAttribute("data-connector") != null || text.startsWith("No connectors yet");
    }

    private static WebDriver browser(Path chromium, Path chromedriver) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,2400",
                "--user-data-dir=" + Files.createTempDirectory("console-it-chromium").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** An undecodable user event whose bytes hold personal data: a dead letter the page must not show. */
    private static void deadLetter(KafkaBroker kafka, PipelineTopics topics) {
        Properties props = kafka.clientProperties();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.getUserEvents(),
                    "user-1".getBytes(StandardCharsets.UTF_8),
                    ("{\"email\":\"" + PII + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static Optional<Path> executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
