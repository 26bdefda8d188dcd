package dev.sluice.embedded;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry (Apicurio Registry 2.4, rebuilt from Maven Central by {@code devstack/registry-server})
 * in a child JVM, bound to 127.0.0.1. It serves the Confluent-compatible API at {@link #ccompatUrl()} and its
 * own API at {@link #registryV2Url()}. Schemas and their ids are kept in an H2 file database under its directory,
 * so records already in Kafka still resolve after a restart.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    private static final String COMPONENT = "schema-registry";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm process;
    private final String url;

    private RegistryServer(ChildJvm process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts the registry with its database in {@code dir}.
     *
     * @param port HTTP port; 0 picks a free one
     */
    public static RegistryServer start(Path dir, int port) {
        int httpPort = Ports.orFree(port);
        Ports.requireFree(COMPONENT, httpPort);
        String url = "http://" + Ports.HOST + ":" + httpPort;
        Path jar = ServerJars.registry();
        ChildJvm jvm = ChildJvm.start(COMPONENT, List.of(jar), ChildJvm.mainClassOf(jar),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-Dquarkus.http.host=" + Ports.HOST,
                        "-Dquarkus.http.port=" + httpPort),
                List.of(),
                // H2's default lock timeout (1 s) is short for a loaded 2-core machine.
                Map.of("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("registry_db").toAbsolutePath()
                        + ";LOCK_TIMEOUT=30000"),
                dir.resolve("registry.log"));
        jvm.awaitReady(START_TIMEOUT, () -> HTTP.send(HttpRequest.newBuilder(URI.create(url
                + "/apis/ccompat/v7/subjects")).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        LOG.info("schema registry up url={} dir={}", url, dir);
        return new RegistryServer(jvm, url);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return url;
    }

    /** The Confluent-compatible API (what Confluent tooling and the wire format's ids refer to). */
    public String ccompatUrl() {
        return url + "/apis/ccompat/v7";
    }

    /** Apicurio's own API, used by its serdes and Connect converter. */
    public String registryV2Url() {
        return url + "/apis/registry/v2";
    }

    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.close();
    }
}
