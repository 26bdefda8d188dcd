package dev.sluice.connect.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.sluice.embedded.ChildJvm;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.Ports;

/**
 * A Kafka Connect worker in a JVM of its own whose class path is Kafka Connect alone (the build's
 * {@code target/connect-worker.classpath}), so that plugins can come only from its {@code plugin.path}, each
 * through its own PluginClassLoader, as on a production worker.
 */
final class IsolatedConnectWorker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm jvm;
    private final String restUrl;

    private IsolatedConnectWorker(ChildJvm jvm, String restUrl) {
        this.jvm = jvm;
        this.restUrl = restUrl;
    }

    /**
     * Starts a worker against {@code bootstrapServers} with {@code pluginPath} and waits until its REST API answers.
     * Its config providers may read files in {@code secretsDir} only.
     */
    static IsolatedConnectWorker start(String bootstrapServers, Path pluginPath, Path secretsDir, Path stateDir) {
        int port = Ports.freePort();
        Properties props = new Properties();
        props.putAll(ConnectWorker.workerProperties(bootstrapServers, port, "sluice-plugin-it", pluginPath));
        props.putAll(ConnectWorker.restrictedProviders(secretsDir, "^$"));
        Path workerProperties = stateDir.resolve("worker.properties");
        try (OutputStream out = Files.newOutputStream(workerProperties)) {
            props.store(out, "worker of PluginArchiveIT");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + workerProperties, e);
        }
        ChildJvm jvm = ChildJvm.start("isolated-connect", classpath(), "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=" + logbackConfig()),
                List.of(workerProperties.toString()), Map.of(), stateDir.resolve("connect.log"));
        String restUrl = "http://" + Ports.HOST + ":" + port;
        jvm.awaitReady(START_TIMEOUT, () -> answers(restUrl));
        return new IsolatedConnectWorker(jvm, restUrl);
    }

    /** The worker's class path, as the build wrote it: Kafka Connect and its logging, nothing of Sluice's. */
    static List<Path> classpath() {
        Path file = Path.of(System.getProperty("sluice.connect.worker.classpath"));
        try {
            return Arrays.stream(Files.readString(file).trim().split(java.io.File.pathSeparator)).map(Path::of)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; run the test through Maven (verify)", e);
        }
    }

    String restUrl() {
        return restUrl;
    }

    Path logFile() {
        return jvm.logFile();
    }

    @Override
    public void close() {
        jvm.close();
    }

    private static boolean answers(String restUrl) throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(restUrl + "/connectors"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    private static Path logbackConfig() {
        try {
            return Path.of(IsolatedConnectWorker.class.getResource("/connect-worker-logback.xml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("connect-worker-logback.xml is not a file", e);
        }
    }
}
