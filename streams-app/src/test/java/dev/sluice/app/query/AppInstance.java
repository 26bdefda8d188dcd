package dev.sluice.app.query;

import java.io.IOException;
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

import dev.sluice.embedded.Await;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.ApplicationContext;
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
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
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

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
