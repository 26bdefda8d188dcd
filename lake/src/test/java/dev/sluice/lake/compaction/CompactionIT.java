package dev.sluice.lake.compaction;

import static dev.sluice.lake.compaction.LakeFixture.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Compaction against a real S3 server: what it merges, what it leaves, and that no row is lost or doubled. */
@ExtendWith(EmbeddedPlatformExtension.class)
class CompactionIT {

    static final long TARGET = 64 * 1024;
    private static final String TOPIC = "silver.orders";

    private static S3Client s3;

    @TempDir
    Path temp;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server.client();
    }

    static CompactionSettings.Builder settings(String prefix) {
        return CompactionSettings.builder(BUCKET)
                .prefixes(List.of(prefix))
                .targetFileBytes(TARGET)
                .rowGroupBytes(16 * 1024)
                .pageBytes(4 * 1024)
                .partBytes(5 * 1024 * 1024)
                .closedDelay(Duration.ofMinutes(30))
                .gcGrace(Duration.ZERO)
                .orphanGrace(Duration.ZERO);
    }

    private static LakeFixture newLake() {
        return new LakeFixture(s3, "it-compaction/" + UUID.randomUUID());
    }

    private static PublishedState published(LakePartition partition) {
        return new LakePartitionReader(s3, BUCKET).published(partition);
    }

    private static PartitionResult resultOf(CompactionRunReport report, LakePartition partition) {
        return report.partitions().stream().filter(r -> r.partition().equals(partition.toString())).findFirst()
                .orElse(null);
    }

    @Test
    void mergesClosedPartitionsIntoFilesNearTheTargetInKafkaOrder() {
        LakeFixture lake = newLake();
        LakePartition closed = lake.hourPartition(TOPIC, 3);
        LakePartition closedEu = lake.hourPartition(TOPIC, 3, "region=EU");
        LakePartition open = lake.hourPartition(TOPIC, 0);
        for (int i = 0; i < 6; i++) {
            lake.sinkFile(closed, 1, i * 100L, 100);
            lake.sinkFile(closed, 0, i * 100L, 100);
        }
        lake.sinkFile(closedEu, 0, 1000, 40);
        lake.sinkFile(closedEu, 0, 1040, 40);
        lake.sinkFile(open, 0, 2000, 50);
        lake.sinkFile(open, 0, 2050, 50);
        lake.checkpoint(TOPIC, 0, 2100);
        lake.checkpoint(TOPIC, 1, 600);
        List<GenericRecord> before = lake.publishedRows(closed);
        List<GenericRecord> beforeEu = lake.publishedRows(closedEu);
        List<String> openBefore = lake.directoryNames(open);
        assertEquals(12, published(closed).files().size());

        CompactionRunReport report = new CompactionEngine(s3, settings(lake.prefix()).build()).run();

        assertTrue(report.succeeded(), report.toString());
        assertEquals(2, report.partitionsExamined(), "the open hour is not even examined");
        PartitionResult result = resultOf(report, closed);
        assertEquals(PartitionResult.Outcome.COMPACTED, result.outcome());
        assertEquals(12, result.inputFiles());
        assertEquals(1200, result.rowsIn());
        assertEquals(1200, result.rowsOut());
        assertEquals(12, result.filesBefore());
        assertEquals(1, result.generation());

        PublishedState after = published(closed);
        assertTrue(after.files().size() >= 3, "several outputs for ~" + result.outputBytes() + " bytes: " + after);
        assertEquals(result.outputFiles(), after.files().size());
        assertEquals(result.filesAfter(), after.files().size());
        assertEquals(result.bytesAfter(), after.bytes());
        for (int i = 0; i < after.files().size(); i++) {
            PublishedFile file = after.files().get(i);
            assertEquals(PublishedFile.Origin.COMPACTED, file.origin());
            assertTrue(file.bytes() < 2 * TARGET, file + " is far above the target");
            if (i < after.files().size() - 1) {
                assertTrue(file.bytes() >= TARGET / 2, file + " is not near the target although more rows follow");
            }
        }
        List<GenericRecord> rowsAfter = lake.publishedRows(closed);
        LakeFixture.assertSameRows(before, rowsAfter);
        List<MergeKey> positions = LakeFixture.positions(rowsAfter);
        List<MergeKey> sorted = new ArrayList<>(positions);
        sorted.sort(null);
        assertEquals(sorted, positions, "rows are in Kafka order: partition, then offset");

        List<String> names = lake.directoryNames(closed);
        List<String> expectedNames = new ArrayList<>(after.files().stream().map(PublishedFile::name).toList());
        expectedNames.add(PartitionManifest.FILE_NAME);
        expectedNames.sort(null);
        assertEquals(expectedNames, names, "inputs were deleted, nothing else is left");

        assertEquals(PartitionResult.Outcome.COMPACTED, resultOf(report, closedEu).outcome());
        LakeFixture.assertSameRows(beforeEu, lake.publishedRows(closedEu));
        assertEquals(openBefore, lake.directoryNames(open), "the open hour is untouched");

        CompactionRunReport again = new CompactionEngine(s3, settings(lake.prefix()).build()).run();
        assertTrue(again.partitions().isEmpty(), "a second run has nothing to do: " + again);
        assertEquals(after, published(closed));
    }

    @Test
    void duckDbReadsTheSameRowsBeforeAndAfter() throws Exception {
        LakeFixture lake = newLake();
        LakePartition partition = lake.hourPartition(TOPIC, 5);
        for (int i = 0; i < 8; i++) {
            lake.sinkFile(partition, i % 2, i * 50L, 50);
        }
        lake.checkpoint(TOPIC, 0, 1000);
        lake.checkpoint(TOPIC, 1, 1000);
        Map<String, Integer> before = duckDbRows(lake, partition, temp.resolve("before"));

        PartitionResult result = new CompactionEngine(s3, settings(lake.prefix()).build()).compact(partition);

        assertEquals(PartitionResult.Outcome.COMPACTED, result.outcome(), String.valueOf(result.detail()));
        Map<String, Integer> after = duckDbRows(lake, partition, temp.resolve("after"));
        assertEquals(400, before.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(before, after);
    }

    /** The published rows of a partition as DuckDB reads them from local copies, as a multiset. */
    private static Map<String, Integer> duckDbRows(LakeFixture lake, LakePartition partition, Path directory)
            throws Exception {
        Files.createDirectories(directory);
        List<String> paths = new ArrayList<>();
        for (PublishedFile file : published(partition).files()) {
            Path local = directory.resolve(file.name());
            s3.getObject(b -> b.bucket(BUCKET).key(file.key()), local);
            paths.add("'" + local.toString().replace("'", "''") + "'");
        }
        Map<String, Integer> rows = new TreeMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, customer, amount, payload, __kafka_partition, "
                     + "__kafka_offset, epoch_ms(__kafka_timestamp) FROM read_parquet([" + String.join(",", paths)
                     + "])")) {
            while (rs.next()) {
                String row = rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getDouble(3) + "|" + rs.getString(4)
                        + "|" + rs.getInt(5) + "|" + rs.getLong(6) + "|" + rs.getLong(7);
                rows.merge(row, 1, Integer::sum);
            }
        }
        return rows;
    }

    @Test
    void leavesUncheckpointedFilesAndPublishesLateFilesUntilTheNextRunMergesThem() {
        LakeFixture lake = newLake();
        LakePartition partition = lake.hourPartition(TOPIC, 4);
        for (int i = 0; i < 4; i++) {
            lake.sinkFile(partition, 0, i * 100L, 100);
        }
        lake.checkpoint(TOPIC, 0, 300);
        List<GenericRecord> before = lake.publishedRows(partition);
        CompactionEngine engine = new CompactionEngine(s3, settings(lake.prefix()).build());

        PartitionResult first = engine.compact(partition);

        assertEquals(PartitionResult.Outcome.COMPACTED, first.outcome(), String.valueOf(first.detail()));
        assertEquals(3, first.inputFiles());
        assertEquals(1, first.pendingFiles(), "the file at offset 300 is beyond the checkpoint");
        PublishedState afterFirst = published(partition);
        assertTrue(afterFirst.files().stream().anyMatch(f -> f.origin() == PublishedFile.Origin.SINK
                && f.name().contains("+00000000000000000300.")), afterFirst.toString());
        LakeFixture.assertSameRows(before, lake.publishedRows(partition));

        // Late records of the same hour arrive after compaction: published at once, without waiting for a run.
        lake.sinkFile(partition, 0, 1000, 50);
        lake.checkpoint(TOPIC, 0, 1050);
        List<GenericRecord> withLate = lake.publishedRows(partition);
        assertEquals(before.size() + 50, withLate.size());
        assertTrue(published(partition).files().stream().anyMatch(f -> f.name().contains("+00000000000000001000.")));

        PartitionResult second = engine.compact(partition);

        assertEquals(PartitionResult.Outcome.COMPACTED, second.outcome(), String.valueOf(second.detail()));
        assertEquals(2, second.generation());
        assertTrue(second.inputFiles() >= 2, "the late and the formerly pending file, at least");
        List<GenericRecord> afterSecond = lake.publishedRows(partition);
        LakeFixture.assertSameRows(withLate, afterSecond);
        assertTrue(published(partition).files().stream().allMatch(f -> f.origin() == PublishedFile.Origin.COMPACTED));
        assertFalse(lake.directoryNames(partition).stream().anyMatch(n -> n.contains("+00000000000000001000.")),
                "the late file was collected");
    }

    @Test
    void aConsumedFileThatReappearsStaysHiddenAndIsCollected() {
        LakeFixture lake = newLake();
        LakePartition partition = lake.hourPartition(TOPIC, 6);
        lake.sinkFile(partition, 0, 0, 100);
        lake.sinkFile(partition, 0, 100, 100);
        lake.checkpoint(TOPIC, 0, 200);
        List<GenericRecord> before = lake.publishedRows(partition);
        CompactionEngine engine = new CompactionEngine(s3, settings(lake.prefix()).build());
        assertEquals(PartitionResult.Outcome.COMPACTED, engine.compact(partition).outcome());

        // A sink replay beyond its checkpoint (e.g. a zombie task) writes an already consumed file again.
        String replayed = lake.sinkFile(partition, 0, 100, 100);

        assertTrue(lake.directoryNames(partition).contains(replayed.substring(partition.directory().length())));
        assertEquals(before.size(), lake.publishedRows(partition).size(), "no row is published twice");
        PartitionResult cleanup = engine.compact(partition);
        assertEquals(PartitionResult.Outcome.UNCHANGED, cleanup.outcome());
        assertEquals(1, cleanup.deletedFiles());
        assertFalse(lake.directoryNames(partition).contains(replayed.substring(partition.directory().length())));
        LakeFixture.assertSameRows(before, lake.publishedRows(partition));
    }

    @Test
    void compatibleSchemasMergeIntoTheWiderOneAndIncompatibleOnesStayApart() {
        LakeFixture lake = newLake();
        LakePartition partition = lake.hourPartition(TOPIC, 7);
        long offset = 0;
        for (int file = 0; file < 4; file++) {
            Schema schema = file % 2 == 0 ? LakeFixture.ORDER_V1 : LakeFixture.ORDER_V2;
            List<GenericRecord> rows = new ArrayList<>();
            for (int i = 0; i < 30; i++, offset++) {
                rows.add(lake.order(schema, offset, 0, offset, null));
            }
            lake.sinkFile(partition, 0, rows);
        }
        Schema incompatible = SchemaBuilder.record("Order").namespace("dev.sluice.test").fields()
                .requiredLong("id").requiredString("amount")
                .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET).endRecord();
        for (int file = 0; file < 2; file++) {
            List<GenericRecord> rows = new ArrayList<>();
            for (int i = 0; i < 10; i++, offset++) {
                GenericRecord row = new GenericData.Record(incompatible);
                row.put("id", offset);
                row.put("amount", "EUR " + offset);
                row.put(KafkaColumns.PARTITION, 0);
                row.put(KafkaColumns.OFFSET, offset);
                rows.add(row);
            }
            lake.sinkFile(partition, 0, rows);
        }
        lake.checkpoint(TOPIC, 0, offset);

        PartitionResult result = new CompactionEngine(s3, settings(lake.prefix()).build()).compact(partition);

        assertEquals(PartitionResult.Outcome.COMPACTED, result.outcome(), String.valueOf(result.detail()));
        assertEquals(6, result.inputFiles());
        PublishedState after = published(partition);
        assertEquals(2, after.files().size(), "one file per schema group: " + after);
        List<GenericRecord> orders = lake.rows(after.files().get(0).key());
        List<GenericRecord> others = lake.rows(after.files().get(1).key());
        assertEquals(120, orders.size());
        assertEquals(20, others.size());
        assertNotNull(orders.get(0).getSchema().getField("coupon"), "the wider schema is the output's");
        Map<Long, Object> coupons = orders.stream().collect(Collectors.toMap(r -> (Long) r.get("id"),
                r -> String.valueOf(r.get("coupon"))));
        for (long id = 0; id < 120; id++) {
            boolean v2 = (id / 30) % 2 == 1;
            assertEquals(v2 && id % 2 == 0 ? "SAVE" + id : "null", coupons.get(id), "coupon of order " + id);
        }
        assertEquals("EUR 120", others.get(0).get("amount").toString());
    }

    @Test
    void ofTwoConcurrentRunsOnlyOneCommits() {
        LakeFixture lake = newLake();
        LakePartition partition = lake.hourPartition(TOPIC, 8);
        for (int i = 0; i < 6; i++) {
            lake.sinkFile(partition, 0, i * 100L, 100);
        }
        lake.checkpoint(TOPIC, 0, 600);
        List<GenericRecord> before = lake.publishedRows(partition);
        // The other run keeps the replaced files for a while, so this run can still read its inputs.
        CompactionEngine other = new CompactionEngine(s3, settings(lake.prefix()).gcGrace(Duration.ofHours(1)).build());
        List<PartitionResult> otherResults = new ArrayList<>();
        FaultInjector raceAfterPlanning = (step, p) -> {
            if (step == CompactionStep.PLANNED && otherResults.isEmpty()) {
                otherResults.add(other.compact(p));
            }
        };
        CompactionEngine engine = new CompactionEngine(s3, settings(lake.prefix()).build(), Clock.systemUTC(),
                raceAfterPlanning);

        PartitionResult result = engine.compact(partition);

        assertEquals(PartitionResult.Outcome.COMPACTED, otherResults.get(0).outcome());
        assertEquals(PartitionResult.Outcome.CONFLICT, result.outcome(), String.valueOf(result.detail()));
        PublishedState after = published(partition);
        assertEquals(1, after.generation());
        assertEquals(otherResults.get(0).outputFiles(), after.files().size());
        LakeFixture.assertSameRows(before, lake.publishedRows(partition));
    }

    @Test
    void anUnreadableInputFailsItsPartitionOnlyAndPublishesNothing() {
        LakeFixture lake = newLake();
        LakePartition broken = lake.hourPartition(TOPIC, 9);
        LakePartition fine = lake.hourPartition(TOPIC, 10);
        lake.sinkFile(broken, 0, 0, 20);
        lake.sinkFile(fine, 0, 100, 20);
        lake.sinkFile(fine, 0, 120, 20);
        String corrupt = broken.directory() + broken.topicSegment() + "+0+00000000000000000020.snappy.parquet";
        s3.putObject(b -> b.bucket(BUCKET).key(corrupt), RequestBody.fromString("not parquet at all"));
        lake.checkpoint(TOPIC, 0, 1000);
        PublishedState brokenBefore = published(broken);

        CompactionRunReport report = new CompactionEngine(s3, settings(lake.prefix()).build()).run();

        assertFalse(report.succeeded());
        PartitionResult failed = resultOf(report, broken);
        assertEquals(PartitionResult.Outcome.FAILED, failed.outcome());
        assertTrue(failed.detail().contains("00000000000000000020"), failed.detail());
        assertEquals(brokenBefore, published(broken));
        assertEquals(List.of(broken.topicSegment() + "+0+00000000000000000000.snappy.parquet",
                broken.topicSegment() + "+0+00000000000000000020.snappy.parquet"), lake.directoryNames(broken));
        assertEquals(PartitionResult.Outcome.COMPACTED, resultOf(report, fine).outcome());
    }
}
