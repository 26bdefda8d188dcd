package dev.sluice.app.compaction;

import dev.sluice.app.testing.ApiCalls;
import dev.sluice.app.testing.LakeAppProperties;
import static dev.sluice.app.testing.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import dev.sluice.lake.compaction.LakePartition;
import dev.sluice.lake.compaction.LakePartitionReader;
import dev.sluice.lake.compaction.PublishedFile;
import dev.sluice.lake.compaction.PublishedState;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The compaction API of the service over real HTTP, compacting a lake on a real S3 server: a protected trigger,
 * the run's result per partition, history and status, the cron schedule, and settings errors at start-up.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class CompactionApiIT {

    private static final String TOKEN = "compaction-api-token-for-the-test";
    private static final String CRON = "0 30 2 * * *";
    private static final Schema ROW = SchemaBuilder.record("Customer").namespace("dev.sluice.test").fields()
            .requiredLong("id").requiredString("name").optionalString("__deleted")
            .requiredInt("__kafka_partition").requiredLong("__kafka_offset").endRecord();

    private static S3Server s3Server;
    private static S3Client s3;
    private static String prefix;
    private static EmbeddedServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start(S3Server s3server) {
        s3Server = s3server;
        s3 = s3server.client();
        prefix = "it-compaction-api/" + UUID.randomUUID();
        server = ApplicationContext.run(EmbeddedServer.class, properties(Map.of()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> properties(Map<String, Object> overrides) {
        Map<String, Object> props = LakeAppProperties.of(s3Server, prefix, TOKEN, CRON);
        props.put("sluice.compaction.target-file-size", "64KB");
        props.put("sluice.compaction.gc-grace", "0s");
        props.put("sluice.compaction.snapshots.customers.topic", "silver.customers");
        props.put("sluice.compaction.snapshots.customers.key-fields", "id");
        props.putAll(overrides);
        return props;
    }

    private static HttpResponse<String> send(String method, String path, String token) {
        return ApiCalls.send(method, server.getURL() + path, token, Duration.ofSeconds(30));
    }


    private static LakePartition partition(String topic) {
        ZonedDateTime hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS)
                .atZone(ZoneOffset.UTC);
        return new LakePartition(prefix, topic, String.format("year=%04d/month=%02d/day=%02d/hour=%02d",
                hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour()));
    }

    /** Writes a sink-named file of rows with ids {@code ids} at consecutive offsets from {@code offset}. */
    private static void sinkFile(LakePartition partition, long offset, long... ids) throws IOException {
        String key = new ObjectKeyNamer(prefix).dataKey(partition.topic(), partition.path(), 0, offset,
                ParquetCodec.SNAPPY);
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, new ParquetFileSettings(S3Server.LAKE_BUCKET,
                ParquetCodec.SNAPPY, 1024 * 1024, ParquetFileSettings.DEFAULT_PAGE_BYTES, 5 * 1024 * 1024), key, ROW);
        for (long id : ids) {
            GenericRecord row = new GenericData.Record(ROW);
            row.put("id", id);
            row.put("name", "customer " + id + " at " + offset);
            row.put("__deleted", "false");
            row.put("__kafka_partition", 0);
            row.put("__kafka_offset", offset++);
            writer.write(row);
        }
        writer.commit();
        String checkpoint = new ObjectKeyNamer(prefix).checkpointKey(partition.topic(), 0);
        long next = offset;
        s3.putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(checkpoint), RequestBody.fromString("next.offset="
                + next + "\n"));
    }

    @Test
    void aTriggeredRunCompactsAndIsReportedInHistoryAndStatus() throws IOException {
        LakePartition orders = partition("silver.orders");
        long offset = 0;
        for (int file = 0; file < 6; file++) {
            long[] ids = new long[50];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = offset + i;
            }
            sinkFile(orders, offset, ids);
            offset += ids.length;
        }
        LakePartition customers = partition("silver.customers");
        sinkFile(customers, 0, 1, 2, 3, 4);
        sinkFile(customers, 4, 2, 3, 2);
        LakePartitionReader reader = new LakePartitionReader(s3, S3Server.LAKE_BUCKET);

        HttpResponse<String> anonymous = send("POST", "/api/compaction/runs", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals(6, reader.published(orders).files().size(), "nothing ran without the token");

        HttpResponse<String> started = send("POST", "/api/compaction/runs", TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        long id = json(started).path("id").asLong();
        assertEquals("/api/compaction/runs/" + id, started.headers().firstValue("Location").orElse(null));
        assertEquals("API", json(started).path("trigger").asText());

        AtomicReference<JsonNode> run = new AtomicReference<>();
        Await.until("run " + id + " finished", Duration.ofSeconds(30), () -> {
            HttpResponse<String> response = send("GET", "/api/compaction/runs/" + id, null);
            run.set(json(response));
            return response.statusCode() == 200 && !"RUNNING".equals(run.get().path("status").asText());
        });
        JsonNode finished = run.get();
        assertEquals("SUCCEEDED", finished.path("status").asText(), finished.toString());
        assertEquals(2, finished.path("partitionsExamined").asInt());
        assertEquals(2, finished.path("compacted").asInt());
        assertTrue(finished.path("durationMs").asLong() >= 0);
        Map<String, JsonNode> byTopic = new LinkedHashMap<>();
        for (JsonNode partition : finished.path("partitions")) {
            byTopic.put(partition.path("partition").asText().split("/")[2], partition);
        }
        JsonNode ordersResult = byTopic.get("silver.orders");
        assertEquals("COMPACTED", ordersResult.path("outcome").asText());
        assertEquals(6, ordersResult.path("filesBefore").asInt());
        assertEquals(6, ordersResult.path("inputFiles").asInt());
        assertEquals(300, ordersResult.path("rowsIn").asLong());
        assertEquals(300, ordersResult.path("rowsOut").asLong());
        assertEquals(6, ordersResult.path("deletedFiles").asInt());
        PublishedState published = reader.published(orders);
        assertEquals(ordersResult.path("filesAfter").asInt(), published.files().size());
        assertEquals(ordersResult.path("bytesAfter").asLong(), published.bytes());
        assertTrue(published.files().stream().allMatch(f -> f.origin() == PublishedFile.Origin.COMPACTED));
        JsonNode customersResult = byTopic.get("silver.customers");
        assertEquals(7, customersResult.path("rowsIn").asLong());
        assertEquals(4, customersResult.path("rowsOut").asLong(), "snapshot mode: latest row of ids 1..4");

        HttpResponse<String> history = send("GET", "/api/compaction/runs?limit=5", null);
        assertEquals(200, history.statusCode());
        assertEquals(id, json(history).get(0).path("id").asLong());

        HttpResponse<String> status = send("GET", "/api/compaction/status", null);
        assertEquals(200, status.statusCode(), status.body());
        JsonNode body = json(status);
        assertTrue(body.path("enabled").asBoolean());
        assertTrue(body.path("running").isMissingNode() || body.path("running").isNull());
        assertEquals(id, body.path("lastRun").path("id").asLong());
        assertEquals(CRON, body.path("schedule").path("cron").asText());
        assertEquals(65536, body.path("settings").path("targetFileBytes").asLong());
        assertEquals("silver.customers", body.path("settings").path("snapshotTopics").get(0).asText());
        for (HttpResponse<String> response : List.of(started, history, status)) {
            assertFalse(response.body().contains(s3Server.secretKey()), "no secret in " + response.body());
            assertFalse(response.body().contains(s3Server.accessKey()), "no access key in " + response.body());
        }

        assertEquals(404, send("GET", "/api/compaction/runs/999999", null).statusCode());
    }

    @Test
    void runsAreScheduledByTheConfiguredCron() {
        CompactionScheduler scheduler = server.getApplicationContext().getBean(CompactionScheduler.class);
        assertEquals(CRON, scheduler.cron().orElseThrow());
        ZonedDateTime next = scheduler.nextRunAt().orElseThrow();
        assertEquals("UTC", scheduler.zone().getId());
        assertEquals(2, next.getHour());
        assertEquals(30, next.getMinute());
        assertEquals(0, next.getSecond());
        assertTrue(next.isAfter(ZonedDateTime.now(ZoneOffset.UTC)));
        assertTrue(next.isBefore(ZonedDateTime.now(ZoneOffset.UTC).plusDays(1).plusMinutes(1)));
        JsonNode status = json(send("GET", "/api/compaction/status", null));
        assertEquals(next.toInstant(), ZonedDateTime.parse(status.path("schedule").path("nextRunAt").asText())
                .toInstant());
    }

    @Test
    void badSettingsStopTheServiceNamingTheKey() {
        List<String> messages = new ArrayList<>();
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("sluice.compaction.cron", "every hour"),
                Map.<String, Object>of("sluice.compaction.codec", "lz5"),
                Map.<String, Object>of("sluice.compaction.target-file-size", "12"),
                Map.<String, Object>of("sluice.compaction.s3.secret-key", ""))) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> ApplicationContext.run(EmbeddedServer.class, properties(bad)).close());
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getMessage()).append('\n');
            }
            messages.add(chain.toString());
        }
        assertTrue(messages.get(0).contains("sluice.compaction.cron"), messages.get(0));
        assertTrue(messages.get(1).contains("sluice.compaction.codec"), messages.get(1));
        assertTrue(messages.get(2).contains("sluice.compaction.target-file-size"), messages.get(2));
        assertTrue(messages.get(3).contains("sluice.compaction.s3.secret-key"), messages.get(3));
        for (String message : messages) {
            assertFalse(message.contains(s3Server.secretKey()), message);
        }
    }

    @Test
    void theShippedDefaultsBind() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.enabled", false);
        props.put("sluice.compaction.enabled", true);
        props.put("sluice.compaction.s3.endpoint", s3Server.endpoint().toString());
        try (EmbeddedServer defaults = ApplicationContext.run(EmbeddedServer.class, props)) {
            assertEquals("0 15 * * * *", defaults.getApplicationContext().getBean(CompactionScheduler.class).cron()
                    .orElseThrow());
            JsonNode settings = json(get(defaults, "/api/compaction/status")).path("settings");
            assertEquals(128L * 1024 * 1024, settings.path("targetFileBytes").asLong());
            assertEquals("[\"bronze\",\"silver\",\"gold\"]", settings.path("prefixes").toString());
            assertEquals("PT1H", settings.path("closedDelay").asText());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withoutCompactionTheApiSaysSo() {
        try (EmbeddedServer disabled = ApplicationContext.run(EmbeddedServer.class,
                properties(Map.of("sluice.compaction.enabled", false)))) {
            HttpResponse<String> status = get(disabled, "/api/compaction/status");
            assertEquals(200, status.statusCode());
            assertFalse(json(status).path("enabled").asBoolean());
            assertFalse(disabled.getApplicationContext().containsBean(CompactionScheduler.class));
            HttpRequest post = HttpRequest.newBuilder(URI.create(disabled.getURL() + "/api/compaction/runs"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> start = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, start.statusCode(), start.body());
            assertNotNull(json(start).path("detail").asText(null));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(EmbeddedServer target, String path)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(target.getURL() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
