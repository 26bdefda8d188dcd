package dev.sluice.app.retention;

import dev.sluice.app.testing.ApiCalls;
import dev.sluice.app.testing.LakeAppProperties;
import static dev.sluice.app.testing.ApiCalls.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

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
import dev.sluice.lake.OffsetCheckpoints;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import dev.sluice.lake.compaction.LakePartition;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lake retention in the service over real HTTP, on a real S3 server: the plan and settings on GET, the
 * token-protected trigger, a run after every compaction run, its history and metrics, and start-up errors.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class RetentionApiIT {

    private static final String TOKEN = "retention-api-token-for-the-test";
    private static final Schema ROW = SchemaBuilder.record("Row").namespace("dev.sluice.test").fields()
            .requiredLong("id").requiredInt("__kafka_partition").requiredLong("__kafka_offset").endRecord();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static S3Server s3Server;
    private static S3Client s3;
    private static String bronze;
    private static String silver;
    private static EmbeddedServer server;

    @BeforeAll
    static void start(S3Server s3server) {
        s3Server = s3server;
        s3 = s3server.client();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        bronze = "itretb" + run;
        silver = "itrets" + run;
        server = ApplicationContext.run(EmbeddedServer.class, properties(Map.of()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> properties(Map<String, Object> overrides) {
        Map<String, Object> props = LakeAppProperties.of(s3Server, bronze + "," + silver, TOKEN, "");
        props.put("sluice.compaction.retention.enabled", true);
        props.put("sluice.compaction.retention.zones." + bronze, "90d");
        props.put("sluice.compaction.retention.zones." + silver, "365d");
        props.put("sluice.compaction.retention.topics.orders.topic", "silver.orders");
        props.put("sluice.compaction.retention.topics.orders.retention", "30d");
        props.putAll(overrides);
        return props;
    }

    private static HttpResponse<String> send(String method, String path, String token) {
        return ApiCalls.send(method, server.getURL() + path, token, Duration.ofSeconds(60));
    }


    /** Writes one sink file and its checkpoint into the hour {@code age} ago; returns the partition. */
    private static LakePartition partition(String prefix, String topic, Duration age) throws IOException {
        ZonedDateTime hour = Instant.now().minus(age).atZone(ZoneOffset.UTC);
        LakePartition partition = new LakePartition(prefix, topic, String.format(
                "year=%04d/month=%02d/day=%02d/hour=%02d", hour.getYear(), hour.getMonthValue(),
                hour.getDayOfMonth(), hour.getHour()));
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        long offset = age.toHours();
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, new ParquetFileSettings(S3Server.LAKE_BUCKET,
                ParquetCodec.SNAPPY, 1024 * 1024, ParquetFileSettings.DEFAULT_PAGE_BYTES, 5 * 1024 * 1024),
                namer.dataKey(topic, partition.path(), 0, offset, ParquetCodec.SNAPPY), ROW);
        GenericRecord row = new GenericData.Record(ROW);
        row.put("id", offset);
        row.put("__kafka_partition", 0);
        row.put("__kafka_offset", offset);
        writer.write(row);
        writer.commit();
        new OffsetCheckpoints(s3, S3Server.LAKE_BUCKET).write(namer, topic, 0, offset + 1);
        return partition;
    }

    private static String id(LakePartition partition) {
        return partition.prefix() + "/" + partition.topic() + "/" + partition.path();
    }

    private static Set<String> mine(JsonNode partitions) {
        Set<String> ids = new TreeSet<>();
        partitions.forEach(p -> {
            String id = p.path("partition").asText();
            if (id.startsWith(bronze + "/") || id.startsWith(silver + "/")) {
                ids.add(id);
            }
        });
        return ids;
    }

    private static Set<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(prefix + "/")).contents()
                .stream().map(S3Object::key).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode awaitRun(long id) {
        AtomicReference<JsonNode> run = new AtomicReference<>();
        Await.until("retention run " + id + " finished", Duration.ofSeconds(60), () -> {
            HttpResponse<String> response = send("GET", "/api/lake/retention/runs/" + id, null);
            run.set(json(response));
            return response.statusCode() == 200 && !"RUNNING".equals(run.get().path("status").asText());
        });
        return run.get();
    }

    @Test
    void showsThePlanRunsWithCompactionAndKeepsTheHistory() throws IOException {
        LakePartition oldBronze = partition(bronze, "bronze.pg.orders", Duration.ofDays(100));
        LakePartition recentBronze = partition(bronze, "bronze.pg.orders", Duration.ofDays(10));
        LakePartition overridden = partition(silver, "silver.orders", Duration.ofDays(40));
        LakePartition keptSilver = partition(silver, "silver.customers", Duration.ofDays(40));
        LakePartition openHour = partition(silver, "silver.customers", Duration.ZERO);
        Set<String> expired = Set.of(id(oldBronze), id(overridden));
        Set<String> bronzeBefore = keys(bronze);
        Set<String> silverBefore = keys(silver);

        HttpResponse<String> view = send("GET", "/api/lake/retention", null);
        assertEquals(200, view.statusCode(), view.body());
        JsonNode body = json(view);
        assertTrue(body.path("enabled").asBoolean());
        assertEquals("PT2160H", body.path("settings").path("zones").path(bronze).asText());
        assertEquals("PT8760H", body.path("settings").path("zones").path(silver).asText());
        assertEquals("PT61368H", body.path("settings").path("zones").path("gold").asText(), "defaults stay");
        assertEquals("PT720H", body.path("settings").path("topics").path("silver.orders").asText());
        assertEquals("PT1H", body.path("settings").path("openHourGuard").asText());
        assertEquals("PT24H", body.path("settings").path("multipartMaxAge").asText());
        assertFalse(view.body().contains(s3Server.secretKey()), "no secret in the answer");
        assertTrue(body.path("plan").path("dryRun").asBoolean());
        assertEquals(expired, mine(body.path("plan").path("expired")));
        body.path("plan").path("expired").forEach(p -> assertEquals("EXPIRED", p.path("status").asText()));
        assertEquals(0, body.path("runs").size());
        assertEquals(bronzeBefore, keys(bronze), "the plan deletes nothing");
        assertEquals(silverBefore, keys(silver));
        assertEquals(body.path("plan").path("judgedAt"), json(send("GET", "/api/lake/retention", null))
                .path("plan").path("judgedAt"), "a second look within 30 s gets the same plan, not another walk");

        HttpResponse<String> anonymous = send("POST", "/api/lake/retention/runs", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals(bronzeBefore, keys(bronze), "nothing ran without the token");

        HttpResponse<String> compaction = send("POST", "/api/compaction/runs", TOKEN);
        assertEquals(202, compaction.statusCode(), compaction.body());
        AtomicReference<JsonNode> runs = new AtomicReference<>();
        Await.until("a retention run after the compaction run", Duration.ofSeconds(60), () -> {
            runs.set(json(send("GET", "/api/lake/retention", null)).path("runs"));
            return runs.get().size() == 1 && !"RUNNING".equals(runs.get().get(0).path("status").asText());
        });
        JsonNode withCompaction = runs.get().get(0);
        assertEquals("COMPACTION", withCompaction.path("trigger").asText());
        assertEquals("SUCCEEDED", withCompaction.path("status").asText(), withCompaction.toString());
        assertFalse(withCompaction.path("dryRun").asBoolean());
        assertEquals(expired, mine(withCompaction.path("result").path("expired")));
        withCompaction.path("result").path("expired").forEach(p -> assertEquals("DELETED",
                p.path("status").asText()));
        for (LakePartition gone : Set.of(oldBronze, overridden)) {
            assertTrue(keys(bronze).stream().noneMatch(k -> k.startsWith(gone.directory())), gone + " is gone");
            assertTrue(keys(silver).stream().noneMatch(k -> k.startsWith(gone.directory())), gone + " is gone");
        }
        for (LakePartition kept : Set.of(recentBronze, keptSilver, openHour)) {
            Set<String> all = new TreeSet<>(keys(bronze));
            all.addAll(keys(silver));
            assertTrue(all.stream().anyMatch(k -> k.startsWith(kept.directory())), kept + " is kept");
        }
        assertTrue(keys(bronze).contains(new ObjectKeyNamer(bronze).checkpointKey("bronze.pg.orders", 0)));
        assertTrue(keys(silver).contains(new ObjectKeyNamer(silver).checkpointKey("silver.orders", 0)));

        HttpResponse<String> dry = send("POST", "/api/lake/retention/runs?dryRun=true", TOKEN);
        assertEquals(202, dry.statusCode(), dry.body());
        long dryId = json(dry).path("id").asLong();
        assertEquals("/api/lake/retention/runs/" + dryId, dry.headers().firstValue("Location").orElse(null));
        JsonNode dryRun = awaitRun(dryId);
        assertEquals("API", dryRun.path("trigger").asText());
        assertTrue(dryRun.path("dryRun").asBoolean());
        assertEquals(Set.of(), mine(dryRun.path("result").path("expired")), "nothing of ours is left to delete");

        JsonNode after = json(send("GET", "/api/lake/retention", null));
        assertEquals(Set.of(), mine(after.path("plan").path("expired")));
        assertEquals(2, after.path("runs").size());
        assertEquals(dryId, after.path("runs").get(0).path("id").asLong(), "newest first");

        String metrics = send("GET", "/prometheus", null).body();
        double partitionsDeleted = metrics.lines().filter(l -> l.startsWith("sluice_lake_retention_partitions_deleted"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertTrue(partitionsDeleted >= 2, metrics.lines().filter(l -> l.contains("retention"))
                .collect(Collectors.joining("\n")));
        assertTrue(metrics.contains("sluice_lake_retention_bytes_deleted_total"), "bytes are counted");
        assertEquals(404, send("GET", "/api/lake/retention/runs/999", null).statusCode());
    }

    @Test
    void isOffUnlessEnabledAndRefusesSettingsThatCannotBeMeant() {
        try (EmbeddedServer off = ApplicationContext.run(EmbeddedServer.class,
                properties(Map.of("sluice.compaction.retention.enabled", false)))) {
            HttpResponse<String> view = sendTo(off, "GET", "/api/lake/retention");
            assertEquals(200, view.statusCode());
            assertFalse(json(view).path("enabled").asBoolean());
            assertEquals(503, sendTo(off, "POST", "/api/lake/retention/runs").statusCode());
        }
        RuntimeException tooShort = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, properties(Map.of("sluice.compaction.retention.zones." + bronze, "5m")))
                .close());
        assertTrue(messages(tooShort).contains("sluice.compaction.retention.zones." + bronze + " must be at least"),
                messages(tooShort));
    }

    private static HttpResponse<String> sendTo(EmbeddedServer target, String method, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(target.getURL() + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" <- ");
        }
        return text.toString();
    }
}
