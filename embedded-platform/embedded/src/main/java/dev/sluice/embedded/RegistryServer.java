package dev.sluice.embedded;

import java.io.IOException;
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
 * A real schema registry (Apicurio Registry 2.4, rebuilt from Maven Central by {@code embedded-platform/registry-server})
 * in a child JVM, bound to 127.0.0.1. It serves the Confluent-compatible API at {@link #ccompatUrl()} and its
 * own API at {@link #registryV2Url()}. Schemas and their ids are kept in an H2 file database under its directory,
 * so records already in Kafka still resolve after a restart.
 */
public final class RegistryServer implements ChildJvmServer {

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
                // The client JIT only, as the S3 server: most of a start is class loading and compiling, and the
                // server compiled by C2 would compete with everything else on a small machine for what a registry
                // answering schema lookups never needs.
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.http.host=" + Ports.HOST, "-Dquarkus.http.port=" + httpPort),
                List.of(),
                // H2's default lock timeout (1 s) is short for a loaded 2-core machine.
                Map.of("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("registry_db").toAbsolutePath()
                        + ";LOCK_TIMEOUT=30000"),
                dir.resolve("registry.log"));
        jvm.awaitReady(START_TIMEOUT, () -> HTTP.send(HttpRequest.newBuilder(URI.create(url
                + "/apis/ccompat/v7/subjects")).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        RegistryServer server = new RegistryServer(jvm, url);
        try {
            server.createIdSequences();
        } catch (RuntimeException e) {
            jvm.close();
            throw e;
        }
        LOG.info("schema registry up url={} dir={}", url, dir);
        return server;
    }

    /**
     * Registers and permanently deletes a throw-away schema, so that the registry's id sequences exist before
     * clients arrive. Apicurio 2.4 creates a sequence on first use with an INSERT, and two first registrations at
     * once (two connectors starting together) collide on H2: one fails with a 500, which fails a connector's task.
     */
    private void createIdSequences() {
        String subject = ccompatUrl() + "/subjects/_sluice-registry-warmup";
        try {
            HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(URI.create(subject + "/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (registered.statusCode() != 200) {
                throw new ComponentStartException(COMPONENT, "warm-up registration answered "
                        + registered.statusCode() + ": " + registered.body(), process.logFile(), null);
            }
            for (String query : new String[] {"", "?permanent=true"}) {
                HTTP.send(HttpRequest.newBuilder(URI.create(subject + query)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException e) {
            throw new ComponentStartException(COMPONENT, "warm-up registration failed: " + e.getMessage(),
                    process.logFile(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComponentStartException(COMPONENT, "interrupted during warm-up", process.logFile(), e);
        }
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

    @Override
    public ChildJvm jvm() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
