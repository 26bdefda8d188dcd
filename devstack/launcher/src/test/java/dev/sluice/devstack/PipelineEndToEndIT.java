package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.devstack.generator.DataGenerator;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ChildJvm;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatform;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.Secrets;

/**
 * The whole pipeline on the real platform with the demo connectors: the data generator changes PostgreSQL rows
 * (good and bad) and produces user events (good, bad, replayed); Debezium captures the rows and the JDBC source the
 * warehouse's rates and catalog into bronze; streams-app, as its own JVM from its build, validates, enriches and
 * aggregates. Every bronze record must end exactly once in a silver or dead-letter
 * topic (read with read_committed), and the gold topics must fill.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PipelineEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void generatedDataFlowsFromPostgresThroughCdcToSilverAndGoldAndTheCountsHold(EmbeddedPlatform platform,
            KafkaBroker kafka, ConnectWorker connect, RegistryServer registry, PostgresServer postgres, S3Server s3)
            throws Exception {
        Properties secrets = DemoConnectors.postgresSecrets(postgres);
        secrets.setProperty("s3.access.key", s3.accessKey());
        secrets.setProperty("s3.secret.key", s3.secretKey());
        Path secretsFile = platform.stateDir().resolve("secrets/e2e.properties");
        Secrets.writePrivate(secretsFile, secrets, "end-to-end test secrets");
        new DemoConnectors(connect.restUrl(), kafka.bootstrapServers(), registry, postgres, s3, secretsFile,
                Duration.ofSeconds(2)).registerAll();
        kafka.createTopics(DemoConnectors.TOPIC_PARTITIONS, DemoConnectors.USER_EVENTS_TOPIC);

        int port = Ports.orFree(0);
        String token = Secrets.random();
        try (ChildJvm app = StreamsAppUnderTest.start(platform.stateDir().resolve("e2e-streams-app"), port, kafka,
                registry, connect, token, Map.of())) {
            try (DataGenerator generator = DataGenerator.start(() -> postgres.connect(PostgresServer.SHOP_DB),
                    kafka.bootstrapServers(), registry.registryV2Url(), DemoConnectors.USER_EVENTS_TOPIC, 25, 25,
                    0.1)) {
                Await.until("generated changes and events", TIMEOUT,
                        () -> generator.shopChanges() >= 150 && generator.eventsSent() >= 150);
            }
            Map<String, Integer> bronze = PipelineCounts.settledBronze(kafka.bootstrapServers(), TIMEOUT);
            assertTrue(bronze.keySet().stream().anyMatch(k -> k.startsWith("bronze.pg.order_items/")),
                    "CDC captured order lines");

            PipelineCounts.Landing landing = PipelineCounts.landing(kafka.bootstrapServers(), bronze, true, TIMEOUT,
                    app::isAlive);
            Map<String, Integer> landed = landing.landed();
            Map<String, Integer> routes = landing.routes();
            Map<String, Integer> gold = landing.gold();
            System.out.println("pipeline routes (bronze topic -> output: records): " + routes);
            assertEquals(bronze, landed, "each bronze record exactly once in silver or a dead-letter topic");
            // The generator's bad share is 10%: most of what Debezium captured must pass validation, which proves
            // the rules and the decoding fit the connector's real output (decimals, timestamps, delete rewrites).
            for (String topic : PipelineCounts.BRONZE) {
                long total = bronze.keySet().stream().filter(k -> k.startsWith(topic + "/")).count();
                long silver = routes.entrySet().stream().filter(e -> e.getKey().startsWith(topic + " -> silver."))
                        .mapToLong(Map.Entry::getValue).sum();
                assertTrue(silver * 2 > total, topic + ": " + silver + " of " + total + " in silver; routes " + routes);
            }
            assertTrue(gold.keySet().containsAll(PipelineCounts.GOLD), "gold topics filled: " + gold);
            // The CDC connector puts an order's items on its order's partition, the generator keys events by user:
            // neither the enricher nor the sessions reroute any.
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + Ports.HOST
                    + ":" + port + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("sluice_records_in_total{entity=\"order_items\",stage=\"validate\"}"),
                    "the app's metrics are read");
            List<String> rerouted = metrics.lines().filter(line -> line.startsWith("sluice_records_rerouted_total"))
                    .toList();
            assertEquals(List.of(), rerouted, "records rerouted to their key's partition");

            // Freshness reaches the lake: the silver sink's commits carry it, the app reads them.
            AtomicReference<JsonNode> lake = new AtomicReference<>();
            Await.until("lake freshness of silver orders in /api/status", TIMEOUT, () -> {
                JsonNode status = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://" + Ports.HOST + ":" + port + "/api/status")).header("Authorization", "Bearer " + token)
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode entry : status.path("freshness").path("datasets")) {
                    if ("orders".equals(entry.path("dataset").asText()) && "lake".equals(entry.path("layer").asText())
                            && entry.path("count").asLong() > 0) {
                        lake.set(entry);
                        return true;
                    }
                }
                return false;
            });
            double p99 = lake.get().get("p99Seconds").asDouble();
            assertTrue(p99 > 0 && p99 < 3600, "from the source commit to the lake object: " + lake.get());
        }
    }
}
