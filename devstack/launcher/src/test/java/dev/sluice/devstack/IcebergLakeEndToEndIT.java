package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.devstack.terminal.IcebergLakeFiles;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code ./sluice up --lake-format iceberg} end to end (issue 18, item 1): under generated load the lake is Iceberg
 * tables written by Apache Iceberg's sinks, and once the pipeline has settled each silver and gold table holds every
 * committed record of its topic exactly once (by the Kafka position the rows carry), its tombstones as delete-marker
 * rows; the terminal's lake-files counter sees the sinks' commits per layer; streams-app reads the lake layer of
 * freshness from the tables' snapshots and serves its Iceberg maintenance passes.
 */
class IcebergLakeEndToEndIT {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent().getParent();
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theIcebergTablesHoldEveryCommittedRecordOnce() throws Exception {
        Path state = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "iceberg-lake-")
                .toAbsolutePath();
        DevstackSettings settings = DevstackSettings.parse(HOME, List.of("--state-dir", state.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--connect-port", "0", "--postgres-port", "0",
                "--s3-port", "0", "--registry-port", "0", "--app-port", "0", "--shop-ops-per-second", "20",
                "--events-per-second", "40", "--bad-ratio", "0.05", "--lake-idle-flush-ms", "3000",
                "--lake-format", "iceberg"), Map.of());
        try (Devstack devstack = new Devstack(settings)) {
            devstack.start();
            String kafka = devstack.kafka().bootstrapServers();
            Map<String, Integer> filesSeen = new TreeMap<>();
            try (IcebergLakeFiles lakeFiles = new IcebergLakeFiles(DemoConnectors.icebergCatalog(devstack.postgres(),
                    devstack.s3()), Clock.systemUTC())) {
                Await.until("commits of every layer counted by the terminal", TIMEOUT, () -> {
                    lakeFiles.writtenSinceLastCall().forEach((layer, files) -> filesSeen.merge(layer, files,
                            Integer::sum));
                    return filesSeen.keySet().containsAll(DemoConnectors.LAKE_TOPICS.keySet())
                            && BronzeRecords.count(kafka, "gold.user_sessions") > 0;
                });
            }
            devstack.generator().close();
            Map<String, Integer> bronze = PipelineCounts.settledBronze(kafka, TIMEOUT);
            PipelineCounts.Landing landing = PipelineCounts.landing(kafka, bronze, true, TIMEOUT,
                    () -> devstack.app().processHandle().isAlive());
            assertEquals(bronze, landing.landed(), "each bronze record exactly once in silver or a dead-letter topic");

            try (JdbcCatalog catalog = DemoConnectors.icebergCatalog(devstack.postgres(), devstack.s3()).open()) {
                for (String layer : List.of("silver", "gold")) {
                    for (String topic : DemoConnectors.LAKE_TOPICS.get(layer)) {
                        LakeContents.Committed committed = LakeContents.committedWithTombstones(kafka, topic);
                        TableIdentifier table = TableIdentifier.parse(topic);
                        AtomicReference<TableRows> read = new AtomicReference<>();
                        Await.until("the table " + topic + " complete", TIMEOUT, () -> {
                            read.set(catalog.tableExists(table) ? TableRows.of(catalog, table) : null);
                            return read.get() != null && read.get().rows().size() >= committed.records().size();
                        });
                        assertEquals(committed.records(), read.get().rows(), "the table holds each committed record"
                                + " of " + topic + " once");
                        System.out.println("tombstones of " + topic + ": " + committed.tombstones().size());
                        assertEquals(committed.tombstones(), read.get().deleteMarkers(), "each tombstone of "
                                + topic + " is a delete-marker row");
                    }
                }
            }
            // Each file the counter saw is a data file in the bucket (compaction, which adds files of its own, has
            // nothing to do: every hour of this run is still open).
            for (Map.Entry<String, Integer> layer : filesSeen.entrySet()) {
                long objects = devstack.s3().client().listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET)
                        .prefix("iceberg/" + layer.getKey() + "/")).contents().stream().map(S3Object::key)
                        .filter(key -> key.contains("/data/") && key.endsWith(".parquet")).count();
                assertTrue(layer.getValue() > 0 && layer.getValue() <= objects, layer.getKey() + ": " + layer.getValue()
                        + " files counted, " + objects + " data files in the bucket");
            }

            String url = devstack.app().url();
            Await.until("lake freshness of silver orders from the tables' snapshots", TIMEOUT, () -> {
                for (JsonNode entry : get(url + "/api/status", devstack.apiToken()).path("freshness")
                        .path("datasets")) {
                    if ("orders".equals(entry.path("dataset").asText()) && "lake".equals(entry.path("layer").asText())
                            && entry.path("count").asLong() > 0) {
                        return true;
                    }
                }
                return false;
            });
            assertTrue(get(url + "/api/compaction/iceberg/passes", devstack.apiToken()).isArray(),
                    "streams-app maintains the Iceberg tables");
        }
    }

    /**
     * What a table holds, from one read of its Kafka columns: {@code partition/offset → rows}, and the
     * {@code partition/offset} of its rows with {@code __deleted = true}.
     */
    private record TableRows(Map<String, Integer> rows, Set<String> deleteMarkers) {

        static TableRows of(JdbcCatalog catalog, TableIdentifier table) {
            TableRows read = new TableRows(new TreeMap<>(), new TreeSet<>());
            try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(table))
                    .select(KafkaColumns.PARTITION, KafkaColumns.OFFSET, KafkaColumns.DELETED).build()) {
                for (Record row : rows) {
                    String position = row.getField(KafkaColumns.PARTITION) + "/" + row.getField(KafkaColumns.OFFSET);
                    read.rows().merge(position, 1, Integer::sum);
                    if (Boolean.TRUE.equals(row.getField(KafkaColumns.DELETED))) {
                        read.deleteMarkers().add(position);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + table, e);
            }
            return read;
        }
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return new ObjectMapper().readTree(response.body());
    }
}
