package dev.sluice.app.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSettings;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.dataset.SourceKind;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.RuntimeBeanDefinition;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * One streams-app instance started in this JVM against the real broker and registry, on its own HTTP port (which
 * it advertises as its {@code application.server}) and state directory. Several instances with the same
 * application id form one Kafka Streams application.
 */
public final class AppInstance implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;
    private final String url;
    private final String authority;

    private AppInstance(EmbeddedServer server, int port) {
        this.server = server;
        this.authority = "127.0.0.1:" + port;
        this.url = "http://" + authority;
    }

    /** Starts an instance and waits until it reports ready (its streams RUNNING). */
    public static AppInstance start(KafkaBroker kafka, RegistryServer registry, String applicationId,
            Map<String, Object> settings) throws IOException {
        return start(kafka, registry, applicationId, settings, new RuntimeBeanDefinition<?>[0]);
    }

    /** Starts an instance with {@code beans} added to its context (a clock the test moves, say), and waits. */
    public static AppInstance start(KafkaBroker kafka, RegistryServer registry, String applicationId,
            Map<String, Object> settings, RuntimeBeanDefinition<?>... beans) throws IOException {
        int port = freePort();
        Path stateDir = Files.createTempDirectory("sluice-" + applicationId + "-");
        Map<String, Object> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.streams.default.state.dir", stateDir.toString(),
                "kafka.streams.default.application.id", applicationId,
                "kafka.streams.default.application.server", "127.0.0.1:" + port,
                // A stopped instance does not leave the group: the others notice it after this long.
                "kafka.streams.default.session.timeout.ms", "6000",
                "kafka.streams.default.heartbeat.interval.ms", "1000",
                "sluice.registry.url", registry.url(),
                "micronaut.server.port", port));
        properties.putAll(settings);
        EmbeddedServer server = ApplicationContext.builder().properties(properties).beanDefinitions(beans)
                .run(EmbeddedServer.class);
        AppInstance instance = new AppInstance(server, port);
        try {
            Await.until(instance.authority + " ready", Duration.ofSeconds(60),
                    () -> instance.get("/health/readiness").statusCode() == 200);
        } catch (RuntimeException e) {
            instance.close();
            throw e;
        }
        return instance;
    }

    /**
     * Topic names of their own for a test ({@code <prefix>.bronze...}, {@code <prefix>.silver...}, ...): test classes
     * share one broker, and an application reads its input topics from the beginning. Dead-letter topics are
     * {@code dlq.<stage>} whatever the settings.
     */
    public static PipelineTopics topics(String prefix) {
        PipelineTopics t = new PipelineTopics();
        t.setCustomers(prefix + "." + t.getCustomers());
        t.setProducts(prefix + "." + t.getProducts());
        t.setOrders(prefix + "." + t.getOrders());
        t.setOrderItems(prefix + "." + t.getOrderItems());
        t.setExchangeRates(prefix + "." + t.getExchangeRates());
        t.setProductCatalog(prefix + "." + t.getProductCatalog());
        t.setUserEvents(prefix + "." + t.getUserEvents());
        t.setSilverCustomers(prefix + "." + t.getSilverCustomers());
        t.setSilverProducts(prefix + "." + t.getSilverProducts());
        t.setSilverExchangeRates(prefix + "." + t.getSilverExchangeRates());
        t.setSilverProductCatalog(prefix + "." + t.getSilverProductCatalog());
        t.setSilverOrders(prefix + "." + t.getSilverOrders());
        t.setSilverOrderLines(prefix + "." + t.getSilverOrderLines());
        t.setSilverUserEvents(prefix + "." + t.getSilverUserEvents());
        t.setGoldProductRevenueHourly(prefix + "." + t.getGoldProductRevenueHourly());
        t.setGoldRegionRevenueDaily(prefix + "." + t.getGoldRegionRevenueDaily());
        t.setGoldCustomerTotals(prefix + "." + t.getGoldCustomerTotals());
        t.setGoldUserSessions(prefix + "." + t.getGoldUserSessions());
        return t;
    }

    /** The settings that give an instance the topic names of {@code t}. */
    public static Map<String, Object> settings(PipelineTopics t) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("sluice.topics.customers", t.getCustomers());
        settings.put("sluice.topics.products", t.getProducts());
        settings.put("sluice.topics.orders", t.getOrders());
        settings.put("sluice.topics.order-items", t.getOrderItems());
        settings.put("sluice.topics.exchange-rates", t.getExchangeRates());
        settings.put("sluice.topics.product-catalog", t.getProductCatalog());
        settings.put("sluice.topics.user-events", t.getUserEvents());
        settings.put("sluice.topics.silver-customers", t.getSilverCustomers());
        settings.put("sluice.topics.silver-products", t.getSilverProducts());
        settings.put("sluice.topics.silver-exchange-rates", t.getSilverExchangeRates());
        settings.put("sluice.topics.silver-product-catalog", t.getSilverProductCatalog());
        settings.put("sluice.topics.silver-orders", t.getSilverOrders());
        settings.put("sluice.topics.silver-order-lines", t.getSilverOrderLines());
        settings.put("sluice.topics.silver-user-events", t.getSilverUserEvents());
        settings.put("sluice.topics.gold-product-revenue-hourly", t.getGoldProductRevenueHourly());
        settings.put("sluice.topics.gold-region-revenue-daily", t.getGoldRegionRevenueDaily());
        settings.put("sluice.topics.gold-customer-totals", t.getGoldCustomerTotals());
        settings.put("sluice.topics.gold-user-sessions", t.getGoldUserSessions());
        settings.put("sluice.datasets.dir", datasets(t).toString());
        return settings;
    }

    /**
     * A dataset directory (a new temporary one) holding the built-in specifications with the topic names of
     * {@code t}, bronze and silver, as the instance's topology reads them: the cdc and jdbc ones, whose bronze topic
     * is derived, name it explicitly.
     */
    public static Path datasets(PipelineTopics t) {
        String prefix = t.getUserEvents().substring(0, t.getUserEvents().indexOf("bronze."));
        DatasetSpecParser parser = new DatasetSpecParser(DatasetSettings.DEFAULT_CDC_CONNECTOR);
        try {
            Path dir = Files.createTempDirectory("sluice-it-datasets");
            for (Map.Entry<String, String> file : DatasetDirectory.builtIns().entrySet()) {
                DatasetSpec spec = parser.parse(file.getKey(), file.getValue());
                String text = file.getValue().replaceAll("(?m)^(\\s+topic: )(bronze|silver)\\.",
                        "$1" + prefix + "$2.");
                if (spec.source().kind() != SourceKind.TOPIC) {
                    text = text.replaceFirst("(?m)^source:\\n", "source:\n  topic: " + prefix
                            + spec.source().topic() + "\n");
                }
                Files.writeString(dir.resolve(file.getKey()), text);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code host:port}, as this instance names itself to the others. */
    public String authority() {
        return authority;
    }

    public String url() {
        return url;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(Duration.ofSeconds(20))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON body of a GET that must answer 200. */
    public JsonNode json(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " on " + authority + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Stops the instance (without leaving the group: the others notice after the session timeout); idempotent. */
    @Override
    public void close() {
        if (server.getApplicationContext().isRunning()) {
            server.getApplicationContext().close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
