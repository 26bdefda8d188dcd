package dev.sluice.app.connect.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.app.testing.LakeSinkParameters;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;

/**
 * A connector task that fails for a real reason which then goes away comes back by itself: an S3 sink whose bucket
 * does not exist fails at start on the shared Connect worker; streams-app restarts it with backoff (each attempt
 * failing again while the bucket is missing, counted in {@code /api/status}); once the bucket is created the next
 * attempt brings the task to RUNNING with no one calling the API, its attempts still shown and counted at
 * {@code /prometheus}.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ConnectorAutoRestartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final PipelineTopics TOPICS = AppInstance.topics("auto-restart-it");

    private static AppInstance app;
    private static ConnectRestClient connect;
    private static String name;

    @BeforeAll
    static void start(KafkaBroker kafka, RegistryServer registry, ConnectWorker worker) throws Exception {
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(TOPICS));
        settings.put("sluice.connect.url", worker.restUrl());
        settings.put("sluice.connect.auto-restart.enabled", true);
        // Restarts a few hundred milliseconds apart: the scenario needs two failed attempts and one more after the
        // bucket appears, not production's pace.
        settings.put("sluice.connect.auto-restart.poll-interval", "250ms");
        settings.put("sluice.connect.auto-restart.initial-backoff", "250ms");
        settings.put("sluice.connect.auto-restart.max-backoff", "500ms");
        settings.put("sluice.connect.auto-restart.max-attempts", 100);
        app = AppInstance.start(kafka, registry, "auto-restart-it", settings);
        connect = new ConnectRestClient(worker.restUrl());
    }

    @AfterAll
    static void stop() {
        try {
            if (name != null) {
                connect.delete(name);
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void aSinkTaskThatFailedOnAMissingBucketRunsOnceTheBucketExists(KafkaBroker kafka, RegistryServer registry,
            S3Server s3) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "it.restart." + suffix;
        String bucket = "restart-" + suffix;
        name = "restart-sink-" + suffix;
        kafka.createTopics(1, topic);
        Map<String, String> parameters = LakeSinkParameters.of(topic, bucket, "it-" + suffix,
                "dlq.restart.it." + suffix, registry, s3);
        connect.create(name, new ConnectorTemplates().find("s3-parquet-sink").orElseThrow().render(parameters));

        JsonNode connectors = await("the restarter is the active one", TIMEOUT, () -> {
            JsonNode status = app.json("/api/status").get("connectors");
            return status.get("autoRestart").get("active").asBoolean() ? Optional.of(status) : Optional.empty();
        });
        assertTrue(connectors.get("autoRestart").get("enabled").asBoolean());

        JsonNode failing = await("restarted while the bucket is missing, and failed again", TIMEOUT,
                () -> task().filter(t -> "FAILED".equals(t.get("state").asText())
                        && t.path("autoRestart").path("attempts").asInt() >= 2));
        assertTrue(failing.get("error").asText().contains(bucket) || failing.get("error").asText()
                .contains("NoSuchBucket"), "the cause is shown: " + failing.get("error"));
        assertFalse(failing.get("autoRestart").get("gaveUp").asBoolean());
        assertFalse(failing.get("autoRestart").get("nextAttempt").isNull(), "the next attempt is scheduled");

        s3.createBucket(bucket);
        JsonNode running = await("RUNNING again by itself", TIMEOUT,
                () -> task().filter(t -> "RUNNING".equals(t.get("state").asText())));
        int attempts = running.get("autoRestart").get("attempts").asInt();
        assertTrue(attempts >= 2, "the attempts it took are still shown: " + running);
        assertTrue(connect.isRunning(name), "Connect itself says so");
        assertEquals(attempts, restartsCounted(), "each restart counted at /prometheus");
    }

    /** The value {@code lookup} finds, polled until it finds one (or the timeout fails the test). */
    private static JsonNode await(String what, Duration timeout, Supplier<Optional<JsonNode>> lookup) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Await.until(what, timeout, () -> {
            lookup.get().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** Task 0 of the connector under test as /api/status shows it, once it is there. */
    private static Optional<JsonNode> task() {
        for (JsonNode connector : app.json("/api/status").get("connectors").get("items")) {
            if (name.equals(connector.get("name").asText()) && connector.get("tasks").size() > 0) {
                return Optional.of(connector.get("tasks").get(0));
            }
        }
        return Optional.empty();
    }

    private static int restartsCounted() {
        Pattern line = Pattern.compile("^sluice_connector_task_restarts_total\\{([^}]*)\\} (\\S+)$");
        for (String text : app.get("/prometheus").body().lines().toList()) {
            Matcher m = line.matcher(text);
            if (m.matches() && m.group(1).contains("connector=\"" + name + "\"") && m.group(1).contains("task=\"0\"")) {
                return (int) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
