package dev.sluice.app.compaction;

import dev.sluice.app.testing.ApiCalls;
import dev.sluice.app.testing.LakeAppProperties;
import static dev.sluice.app.testing.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
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
import dev.sluice.lake.compaction.CurrentStatePublisher;
import dev.sluice.lake.compaction.LakePartition;
import dev.sluice.lake.compaction.LakePartitionReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Current-state snapshots in the service over real HTTP on a real S3 server: a triggered run compacts, then
 * publishes a snapshot per closed gold hour and reports them; settings errors stop the service naming the key.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class CurrentStateApiIT {

    private static final String TOKEN = "current-state-api-token-for-the-test";
    private static final String TOPIC = "gold.customer_totals";
    private static final Schema ROW = SchemaBuilder.record("CustomerTotal").namespace("dev.sluice.test").fields()
            .optionalDouble("total").requiredString("__kafka_key").requiredBoolean("__deleted")
            .requiredInt("__kafka_partition").requiredLong("__kafka_offset").endRecord();

    private static S3Server s3Server;
    private static S3Client s3;
    private static String prefix;
    private static EmbeddedServer server;

    @BeforeAll
    static void start(S3Server s3server) {
        s3Server = s3server;
        s3 = s3server.client();
        prefix = "it-current-state-api/" + UUID.randomUUID();
        server = ApplicationContext.run(EmbeddedServer.class, properties(Map.of()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> properties(Map<String, Object> overrides) {
        Map<String, Object> props = LakeAppProperties.of(s3Server, prefix, TOKEN, "");
        props.put("sluice.compaction.current-state.enabled", true);
        props.putAll(overrides);
        return props;
    }

    private static LakePartition hour(int hoursAgo) {
        ZonedDateTime hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hoursAgo, ChronoUnit.HOURS)
                .atZone(ZoneOffset.UTC);
        return new LakePartition(prefix, TOPIC, String.format("year=%04d/month=%02d/day=%02d/hour=%02d",
                hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour()));
    }

    /** A gold sink file: {@code key=total} changes, {@code key=} a tombstone, at consecutive offsets. */
    private static void sinkFile(LakePartition partition, long offset, String... changes) throws IOException {
        String key = new ObjectKeyNamer(prefix).dataKey(TOPIC, partition.path(), 0, offset, ParquetCodec.SNAPPY);
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, new ParquetFileSettings(S3Server.LAKE_BUCKET,
                ParquetCodec.SNAPPY, 1024 * 1024, ParquetFileSettings.DEFAULT_PAGE_BYTES, 5 * 1024 * 1024), key, ROW);
        for (String change : changes) {
            String[] parts = change.split("=", -1);
            GenericRecord row = new GenericData.Record(ROW);
            row.put("total", parts[1].isEmpty() ? null : Double.valueOf(parts[1]));
            row.put("__kafka_key", parts[0]);
            row.put("__deleted", parts[1].isEmpty());
            row.put("__kafka_partition", 0);
            row.put("__kafka_offset", offset++);
            writer.write(row);
        }
        writer.commit();
        String checkpoint = new ObjectKeyNamer(prefix).checkpointKey(TOPIC, 0);
        long next = offset;
        s3.putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(checkpoint), RequestBody.fromString("next.offset="
                + next + "\n"));
    }

    private static HttpResponse<String> send(String method, String path, String token) {
        return ApiCalls.send(method, server.getURL() + path, token, Duration.ofSeconds(30));
    }


    private static LakePartition snapshotOf(LakePartition hour) {
        return new LakePartition(prefix + "-current", TOPIC, hour.path());
    }

    @Test
    void aRunPublishesASnapshotPerClosedGoldHourAndReportsThem() throws IOException {
        LakePartition first = hour(3);
        LakePartition second = hour(2);
        LakePartition open = hour(0);
        sinkFile(first, 0, "a=1", "b=2", "c=3", "b=2.5");
        sinkFile(second, 4, "b=20", "c=", "d=4");
        sinkFile(open, 7, "a=", "e=5");

        HttpResponse<String> started = send("POST", "/api/compaction/runs", TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        long id = json(started).path("id").asLong();
        AtomicReference<JsonNode> run = new AtomicReference<>();
        Await.until("run " + id + " finished", Duration.ofSeconds(60), () -> {
            HttpResponse<String> response = send("GET", "/api/compaction/runs/" + id, null);
            run.set(json(response));
            return response.statusCode() == 200 && !"RUNNING".equals(run.get().path("status").asText());
        });

        JsonNode finished = run.get();
        assertEquals("SUCCEEDED", finished.path("status").asText(), finished.toString());
        JsonNode currentState = finished.path("currentState");
        assertEquals(2, currentState.path("published").asLong(), currentState.toString());
        assertEquals(0, currentState.path("failed").asLong());
        JsonNode firstSnapshot = currentState.path("snapshots").get(0);
        JsonNode secondSnapshot = currentState.path("snapshots").get(1);
        assertEquals(snapshotOf(first).toString(), firstSnapshot.path("snapshot").asText());
        assertEquals("PUBLISHED", firstSnapshot.path("outcome").asText());
        assertEquals(4, firstSnapshot.path("rowsIn").asLong());
        assertEquals(3, firstSnapshot.path("keys").asLong(), "a, b, c");
        assertEquals(snapshotOf(second).toString(), secondSnapshot.path("snapshot").asText());
        assertEquals(3 + 3, secondSnapshot.path("rowsIn").asLong(), "the first snapshot and the hour's changes");
        assertEquals(3, secondSnapshot.path("keys").asLong(), "a, b, d; c deleted");
        assertEquals(1, secondSnapshot.path("deletedKeys").asLong());

        LakePartitionReader reader = new LakePartitionReader(s3, S3Server.LAKE_BUCKET);
        assertEquals(1, reader.published(snapshotOf(second)).files().size());
        assertTrue(reader.published(snapshotOf(open)).files().isEmpty(), "the open hour has no snapshot");
        assertEquals(3, reader.published(second).files().size() + reader.published(first).files().size()
                + reader.published(open).files().size(), "the changelog keeps its files");

        JsonNode status = json(send("GET", "/api/compaction/status", null));
        assertEquals(2, status.path("lastRun").path("currentState").path("published").asLong(), status.toString());
    }

    @Test
    void badSettingsStopTheServiceNamingTheKey() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> ApplicationContext.run(EmbeddedServer.class,
                properties(Map.of("sluice.compaction.current-state.retention", "10m"))).close());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        assertTrue(chain.toString().contains("sluice.compaction.current-state.retention"), chain.toString());
    }

    @Test
    void theShippedDefaultsSnapshotGoldWhenEnabled() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.enabled", false);
        props.put("sluice.compaction.enabled", true);
        props.put("sluice.compaction.s3.endpoint", s3Server.endpoint().toString());
        try (ApplicationContext off = ApplicationContext.run(props)) {
            assertFalse(off.containsBean(CurrentStatePublisher.class), "off unless enabled");
        }
        props.put("sluice.compaction.current-state.enabled", true);
        try (ApplicationContext on = ApplicationContext.run(props)) {
            CurrentStatePublisher publisher = on.getBean(CurrentStatePublisher.class);
            assertEquals(List.of("gold.*"), publisher.settings().topics());
            assertEquals(Duration.ofDays(3), publisher.settings().retention());
            assertEquals(List.of("__kafka_key"), publisher.settings().spec().keyFields());
        }
    }
}
