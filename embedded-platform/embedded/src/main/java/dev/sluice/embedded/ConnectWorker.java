package dev.sluice.embedded;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect worker in distributed mode, running in this JVM, with its REST API on 127.0.0.1. Plugins
 * are found on the class path (and in {@code plugin.path} when given) through the service loader, which starts in
 * about a second instead of the reflective scan's ten. Config providers {@code file} and {@code env} are enabled
 * so that connector passwords never have to be written into connector configs.
 */
public final class ConnectWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);
    private static final String COMPONENT = "kafka-connect";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Connect<?> connect;
    private final String restUrl;

    private ConnectWorker(Connect<?> connect, String restUrl) {
        this.connect = connect;
        this.restUrl = restUrl;
    }

    /**
     * Starts a worker of group {@code groupId} against the broker and waits until its REST API lists connectors.
     *
     * @param port REST port; 0 picks a free one
     * @param pluginPath directory of isolated plugins, or null for class-path plugins only
     * @param overrides worker properties that replace the defaults
     */
    public static ConnectWorker start(String bootstrapServers, int port, String groupId, Path pluginPath,
            Map<String, String> overrides) {
        int restPort = Ports.orFree(port);
        Ports.requireFree(COMPONENT, restPort);
        Map<String, String> props = workerProperties(bootstrapServers, restPort, groupId, pluginPath);
        props.putAll(overrides);
        Connect<?> connect;
        try {
            connect = new ConnectDistributed().startConnect(props);
        } catch (RuntimeException e) {
            throw new ComponentStartException(COMPONENT, "worker failed to start: " + e.getMessage(), null, e);
        }
        ConnectWorker worker = new ConnectWorker(connect, "http://" + Ports.HOST + ":" + restPort);
        try {
            Await.until("connect REST answers", START_TIMEOUT, () -> worker.get("/connectors").statusCode() == 200);
        } catch (Await.AwaitTimeoutException e) {
            worker.close();
            throw new ComponentStartException(COMPONENT, "REST API did not answer within " + START_TIMEOUT, null, e);
        }
        LOG.info("kafka connect up rest={} group={}", worker.restUrl, groupId);
        return worker;
    }

    /**
     * Worker properties that limit what connector configs can read through the config providers: {@code file} only
     * files in {@code secretsDir}, {@code env} only variables matching {@code envPattern}. Without them a config
     * can name any file the worker can read or any variable it has, and Connect echoes resolved values in its
     * validation messages.
     */
    public static Map<String, String> restrictedProviders(Path secretsDir, String envPattern) {
        return Map.of("config.providers.file.param.allowed.paths", secretsDir.toAbsolutePath().toString(),
                "config.providers.env.param.allowlist.pattern", envPattern);
    }

    /** Base URL of the REST API, e.g. {@code http://127.0.0.1:8083}. */
    public String restUrl() {
        return restUrl;
    }

    /** GET on the REST API, for readiness checks and tests. */
    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(restUrl + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            connect.stop();
            connect.awaitStop();
        } catch (RuntimeException e) {
            LOG.warn("kafka connect did not stop cleanly: {}", e.toString());
        }
    }

    /**
     * The properties of a worker of group {@code groupId}, as {@link #start} uses them; also for a worker started
     * in a JVM of its own, with only Kafka Connect on its class path (connectors/plugin-it).
     *
     * @param pluginPath directory of isolated plugins, or null for class-path plugins only
     */
    public static Map<String, String> workerProperties(String bootstrapServers, int port, String groupId,
            Path pluginPath) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", groupId);
        p.put("listeners", "http://" + Ports.HOST + ":" + port);
        p.put("rest.advertised.host.name", Ports.HOST);
        p.put("rest.advertised.port", Integer.toString(port));
        p.put("config.storage.topic", groupId + ".configs");
        p.put("offset.storage.topic", groupId + ".offsets");
        p.put("status.storage.topic", groupId + ".status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "5");
        p.put("status.storage.partitions", "1");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("offset.flush.interval.ms", "1000");
        // One worker: a restarted worker must get its tasks back at once, not after the default five minutes.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        p.put("plugin.discovery", "service_load");
        if (pluginPath != null) {
            p.put("plugin.path", pluginPath.toString());
        }
        p.put("config.providers", "file,env");
        p.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("connector.client.config.override.policy", "All");
        return p;
    }
}
