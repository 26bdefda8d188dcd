package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Issue 17 item 5, without touching Java: a new PostgreSQL table of the shop database becomes a dataset by a PUT of
 * its specification to streams-app (a child JVM from its build, with ./sluice up's dataset settings) on the real
 * platform with the demo connectors. The answer says applied and announces a restart; after it the table is
 * captured by the shop's CDC connector, good rows reach the silver topic in the derived schema (renamed and masked as
 * the spec says), a bad row reaches the validation dead letters naming its rule, every bronze row ends exactly once
 * in one of them, bronze and silver reach the lake as Parquet partitioned by the spec's field, and a column added to
 * the table later arrives in a new silver schema version and in the lake's files.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class DatasetEndToEndIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String TABLE = "shipments";
    private static final String BRONZE = "bronze.pg." + TABLE;
    private static final String SILVER = "silver." + TABLE;
    private static final String DEAD_LETTERS = "dlq.validate";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aNewTableBecomesADatasetByItsSpecificationAndReachesTheLakeWithItsPartitionsAndLaterColumns(
            EmbeddedPlatform platform, KafkaBroker kafka, ConnectWorker connect, RegistryServer registry,
            PostgresServer postgres, S3Server s3) throws Exception {
        Properties secrets = DemoConnectors.postgresSecrets(postgres);
        secrets.setProperty("s3.access.key", s3.accessKey());
        secrets.setProperty("s3.secret.key", s3.secretKey());
        Path secretsFile = platform.stateDir().resolve("secrets/datasets-e2e.properties");
        Secrets.writePrivate(secretsFile, secrets, "dataset end-to-end test secrets");
        new DemoConnectors(connect.restUrl(), kafka.bootstrapServers(), registry, postgres, s3, secretsFile,
                Duration.ofSeconds(2)).registerAll();
        sql(postgres, "CREATE TABLE public." + TABLE + " (id BIGINT PRIMARY KEY, region TEXT NOT NULL, "
                + "carrier TEXT NOT NULL)");

        Path dir = platform.stateDir().resolve("datasets-e2e");
        Map<String, String> settings = new HashMap<>(Devstack.datasetEnvironment(postgres,
                dir.resolve("datasets"), secretsFile));
        // Without ./sluice up's supervisor the test applies a pending restart itself.
        settings.put("SLUICE_DATASETS_APPLY", "report");
        int port = Ports.orFree(0);
        String token = Secrets.random();
        String spec = """
                name: %s
                source:
                  kind: cdc
                  table: public.%s
                key: [id]
                validation:
                  fields:
                    id: {required: true, type: long, min: 1}
                    region: {required: true, type: string, allowed: [EMEA, AMER, APAC]}
                pii:
                  carrier: mask
                silver:
                  rename: {id: shipment_id}
                lake:
                  zones: [bronze, silver]
                  partition-by: [region]
                freshness:
                  sla: 2m
                """.formatted(TABLE, TABLE);
        try (ChildJvm app = StreamsAppUnderTest.start(dir, port, kafka, registry, connect, token, settings)) {
            String url = "http://" + Ports.HOST + ":" + port + "/api/datasets/" + TABLE;
            HttpResponse<String> valid = put(url + "?validateOnly=true", token, spec);
            assertEquals(200, valid.statusCode(), valid.body());
            assertEquals("valid", json(valid).path("outcome").asText(), valid.body());
            HttpResponse<String> applied = put(url, token, spec);
            assertEquals(200, applied.statusCode(), applied.body());
            assertEquals("applied", json(applied).path("outcome").asText(), applied.body());
            assertEquals("pending-restart", json(applied).path("restart").path("state").asText(), applied.body());
            assertTrue(Files.exists(dir.resolve("datasets/" + TABLE + ".yaml")), "the specification is kept");
        }
        assertTrue(published(postgres), "the table is in the shop publication");

        // The restart the answer announced: the new instance's topology carries the dataset.
        try (ChildJvm app = StreamsAppUnderTest.start(dir, port, kafka, registry, connect, token, settings)) {
            sql(postgres, "INSERT INTO public." + TABLE + " VALUES (1, 'EMEA', 'dhl'), (2, 'AMER', 'ups'), "
                    + "(3, 'MARS', 'ups')");
            S3Client client = s3.client();
            Path scratch = platform.stateDir().resolve("datasets-e2e/scratch");
            Await.until("bronze and silver Parquet of " + TABLE + " in their region partitions", TIMEOUT, () -> {
                List<String> bronze = parquet(client, "bronze/" + BRONZE + "/");
                List<String> silver = parquet(client, "silver/" + SILVER + "/");
                return inRegion(bronze, "EMEA") && inRegion(bronze, "AMER") && inRegion(bronze, "MARS")
                        && inRegion(silver, "EMEA") && inRegion(silver, "AMER");
            });

            sql(postgres, "ALTER TABLE public." + TABLE + " ADD COLUMN tracking_no TEXT",
                    "INSERT INTO public." + TABLE + " VALUES (4, 'APAC', 'dhl', 'Z9')");
            Await.until("bronze and silver Parquet files with the new column", TIMEOUT,
                    () -> withColumn(client, "bronze/" + BRONZE + "/", scratch)
                            && withColumn(client, "silver/" + SILVER + "/", scratch));
            assertFalse(inRegion(parquet(client, "silver/" + SILVER + "/"), "MARS"), "silver keeps no bad row");

            Map<String, Integer> bronze = PipelineCounts.settledBronze(kafka.bootstrapServers(), List.of(BRONZE),
                    TIMEOUT, Duration.ofSeconds(3));
            assertEquals(4, bronze.size(), "one bronze record per inserted row: " + bronze.keySet());
            Landing landing = landing(kafka.bootstrapServers(), bronze.keySet());
            assertEquals(Map.of(SILVER, 3, DEAD_LETTERS, 1), landing.routes(), "where the bronze records went");
            landing.landed().forEach((source, times) -> assertEquals(1, times, source + " lands exactly once"));

            ConsumerRecord<byte[], byte[]> dead = landing.deadLetters().get(0);
            assertEquals(TABLE + ".region.allowed", PipelineCounts.header(dead, "sluice.error.rule"));
            assertArrayEquals(original(kafka.bootstrapServers(), PipelineCounts.source(dead)), dead.value(),
                    "the dead letter keeps the bronze value's bytes");

            Map<Long, GenericRecord> silver = new TreeMap<>();
            Map<Long, Integer> schemaIds = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> record : landing.silver()) {
                GenericRecord value = BronzeRecords.decode(registry.ccompatUrl(), record.value());
                silver.put((Long) value.get("shipment_id"), value);
                schemaIds.put((Long) value.get("shipment_id"), BronzeRecords.schemaId(record.value()));
            }
            assertEquals(List.of(1L, 2L, 4L), List.copyOf(silver.keySet()), "the good rows, by their renamed key");
            GenericRecord first = silver.get(1L);
            assertNull(first.getSchema().getField("id"), "id is renamed shipment_id in silver");
            assertEquals("d***", first.get("carrier").toString(), "carrier is masked");
            assertEquals("u***", silver.get(2L).get("carrier").toString(), "carrier is masked");
            assertEquals("EMEA", first.get("region").toString());
            assertNull(first.getSchema().getField("tracking_no"), "rows before the ALTER keep their schema");
            GenericRecord later = silver.get(4L);
            assertEquals("Z9", later.get("tracking_no").toString(), "the new column is in silver");
            assertNotEquals(schemaIds.get(1L), schemaIds.get(4L), "the new column comes with a new silver schema");
            assertEquals(2, versions(registry, SILVER + "-value"), "silver schema versions");
        }
    }

    /** The silver and dead-letter records of a dataset's bronze records, and where each bronze record went. */
    private record Landing(Map<String, Integer> landed, Map<String, Integer> routes,
            List<ConsumerRecord<byte[], byte[]>> silver, List<ConsumerRecord<byte[], byte[]>> deadLetters) {
    }

    /**
     * Reads the silver topic and every dead-letter topic (read_committed) until each of {@code bronze} has landed,
     * then a further 2 s of quiet polls, so that a record landing twice is counted too.
     */
    private static Landing landing(String bootstrapServers, Set<String> bronze) {
        Map<String, Integer> landed = new TreeMap<>();
        Map<String, Integer> routes = new TreeMap<>();
        List<ConsumerRecord<byte[], byte[]>> silver = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = PipelineCounts.consumer(bootstrapServers, "dataset-landing")) {
            consumer.subscribe(Pattern.compile("silver\\." + TABLE + "|dlq\\..*"));
            long[] completeAt = {0};
            Await.until("every bronze record of " + TABLE + " in silver or a dead-letter topic", TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String source = PipelineCounts.source(record);
                    if (source == null || !source.startsWith(BRONZE + "/")) {
                        continue;
                    }
                    landed.merge(source, 1, Integer::sum);
                    routes.merge(record.topic(), 1, Integer::sum);
                    (record.topic().equals(SILVER) ? silver : deadLetters).add(record);
                }
                if (completeAt[0] == 0 && landed.keySet().containsAll(bronze)) {
                    completeAt[0] = System.nanoTime();
                }
                return completeAt[0] != 0 && System.nanoTime() - completeAt[0] >= Duration.ofSeconds(2).toNanos();
            });
        }
        return new Landing(landed, routes, silver, deadLetters);
    }

    /** The value bytes of the bronze record at {@code source} (topic/partition/offset). */
    private static byte[] original(String bootstrapServers, String source) {
        String[] parts = source.split("/");
        TopicPartition partition = new TopicPartition(parts[0], Integer.parseInt(parts[1]));
        try (KafkaConsumer<byte[], byte[]> consumer = PipelineCounts.consumer(bootstrapServers, "dataset-original")) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, Long.parseLong(parts[2]));
            List<byte[]> value = new ArrayList<>();
            Await.until("bronze record " + source, TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (value.isEmpty() && record.offset() == Long.parseLong(parts[2])) {
                        value.add(record.value());
                    }
                }
                return !value.isEmpty();
            });
            return value.get(0);
        }
    }

    private static int versions(RegistryServer registry, String subject) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.ccompatUrl()
                + "/subjects/" + subject + "/versions")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body()).size();
    }

    private static boolean inRegion(List<String> keys, String region) {
        return keys.stream().anyMatch(k -> k.contains("/region=" + region + "/"));
    }

    /** Whether a Parquet file of the APAC partition under {@code prefix} has the added column. */
    private static boolean withColumn(S3Client client, String prefix, Path scratch) throws Exception {
        for (String key : parquet(client, prefix)) {
            if (key.contains("/region=APAC/") && columns(client, key, scratch).contains("tracking_no")) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> put(String url, String token, String yaml) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }

    private static List<String> parquet(S3Client client, String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(prefix))
                .contents()) {
            if (object.key().endsWith(".parquet")) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    private static List<String> columns(S3Client client, String key, Path scratch) throws Exception {
        Files.createDirectories(scratch);
        Path local = Files.createTempFile(scratch, "lake-", ".parquet");
        Files.delete(local);
        client.getObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key), local);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(local))) {
            return reader.getFileMetaData().getSchema().getFields().stream()
                    .map(org.apache.parquet.schema.Type::getName).toList();
        } finally {
            Files.delete(local);
        }
    }

    private static boolean published(PostgresServer postgres) throws Exception {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_publication_tables WHERE pubname = '"
                        + PostgresServer.SHOP_PUBLICATION + "' AND tablename = '" + TABLE + "'")) {
            rows.next();
            return rows.getInt(1) == 1;
        }
    }

    private static void sql(PostgresServer postgres, String... statements) throws Exception {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
