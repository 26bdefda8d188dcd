package dev.sluice.connect.iceberg;

import dev.sluice.embedded.ChildJvm;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.Ports;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.concurrent.TimeUnit;

/**
 * A Kafka Connect worker in a JVM of its own, with this test JVM's class path (so Iceberg's sink and the registry's
 * converter are there as for the in-process worker), which a test can kill outright: what a crash of the machine or
 * an OOM kill does to a worker, which a restart of the connector inside a live worker does not.
 */
final class ConnectWorkerJvm implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm jvm;
    private final String restUrl;

    private ConnectWorkerJvm(ChildJvm jvm, String restUrl) {
        this.jvm = jvm;
        this.restUrl = restUrl;
    }

    /**
     * Starts a worker of {@code groupId} against {@code bootstrapServers} and waits until its REST API answers. Its
     * file config provider reads files in {@code stateDir} only; its properties and log file are written there.
     */
    static ConnectWorkerJvm start(String bootstrapServers, String groupId, Path stateDir, String name) {
        int port = Ports.freePort();
        Properties props = new Properties();
        props.putAll(ConnectWorker.workerProperties(bootstrapServers, port, groupId, null));
        props.putAll(ConnectWorker.restrictedProviders(stateDir, "^$"));
        // A killed worker and its tasks' consumers leave their groups only when their sessions time out; the
        // broker's minimum (6 s) instead of the defaults (10 s, 45 s) lets the next worker take over sooner.
        props.putAll(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "2000",
                "consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "2000"));
        Path workerProperties = stateDir.resolve(name + ".properties");
        try (OutputStream out = Files.newOutputStream(workerProperties)) {
            props.store(out, "Connect worker " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + workerProperties, e);
        }
        ChildJvm jvm = ChildJvm.start(name, testClasspath(), "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of("-Xmx768m", "-XX:+UseSerialGC"), List.of(workerProperties.toString()), Map.of(),
                stateDir.resolve(name + ".log"));
        String restUrl = "http://" + Ports.HOST + ":" + port;
        jvm.awaitReady(START_TIMEOUT, () -> answers(restUrl));
        return new ConnectWorkerJvm(jvm, restUrl);
    }

    String restUrl() {
        return restUrl;
    }

    /** SIGKILL: no task is stopped, no transaction aborted, no offset flushed; returns once the process is gone. */
    void kill() throws Exception {
        jvm.processHandle().destroyForcibly();
        jvm.processHandle().onExit().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    Path logFile() {
        return jvm.logFile();
    }

    @Override
    public void close() {
        jvm.close();
    }

    /** The test class path: Surefire's booter may stand in a manifest-only jar for it in java.class.path. */
    private static List<Path> testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(entry -> !entry.isBlank()).map(Path::of)
                .toList();
    }

    private static boolean answers(String restUrl) throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(restUrl + "/connectors"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }
}
