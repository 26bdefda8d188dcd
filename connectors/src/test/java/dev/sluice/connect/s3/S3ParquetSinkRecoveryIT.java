package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.ObjectKeyNamer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Exactly once across crashes: a task is abandoned at the worst moments and a new one takes over
 * from what "Kafka" committed, with different rotation points. Every record must end up in exactly
 * one row of one object.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class S3ParquetSinkRecoveryIT {

    private static final String TOPIC = "silver.orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");
    private static final String[] REGIONS = {"EU", "US", "APAC"};
    private static final int RECORDS = 200;

    @TempDir
    static Path downloads;

    private static S3Server s3;
    private static LakeContents lake;
    private final AtomicLong clock = new AtomicLong(9_000_000L);
    private String prefix;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server;
        lake = new LakeContents(server.client(), S3Server.LAKE_BUCKET, downloads);
    }

    /** The "Kafka log" of a partition: records over two hours, three regions, two schema versions. */
    private static List<SinkRecord> log(int partition) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < RECORDS; offset++) {
            // Mostly in order, every 13th record late into the previous hour.
            long seconds = offset * 36 - (offset % 13 == 0 ? 1_800 : 0);
            records.add(Orders.record(TOPIC, partition, offset, TEN.plusSeconds(Math.max(0, seconds)),
                    REGIONS[(int) (offset % 3)], offset % 7 == 3 ? Orders.V2 : Orders.V1));
        }
        return records;
    }

    private Map<String, String> config(String name, int flushSize) {
        prefix = "it/recovery-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("partition.timestamp.field", "created_at");
        config.put("partition.fields", "region");
        config.put("flush.size", Integer.toString(flushSize));
        config.put("rotate.idle.ms", "5000");
        return config;
    }

    private static void deliver(SinkHarness sink, List<SinkRecord> log, TopicPartition tp, long until, int batch) {
        sink.deliver(log, tp, until, batch);
    }

    private void flushByIdle(SinkHarness sink) {
        clock.addAndGet(10_000);
        sink.putNothing();
    }

    /** Asserts each (partition, offset) of the logs is in exactly one row, and nothing else is. */
    private void assertExactlyOnce(Map<TopicPartition, Integer> expectedRecords) {
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        Set<String> seen = new HashSet<>();
        for (GenericRecord row : rows) {
            String coordinate = row.get("__kafka_partition") + "@" + row.get("__kafka_offset");
            assertTrue(seen.add(coordinate), "duplicate row " + coordinate);
        }
        Set<String> expected = new HashSet<>();
        expectedRecords.forEach((tp, count) -> {
            for (int offset = 0; offset < count; offset++) {
                expected.add(tp.partition() + "@" + offset);
            }
        });
        assertEquals(expected, seen, "rows == records produced, by coordinate");
        assertEquals(expectedRecords.values().stream().mapToInt(Integer::intValue).sum(), rows.size());
    }

    private String checkpoint(TopicPartition tp) {
        String key = new ObjectKeyNamer(prefix).checkpointKey(tp.topic(), tp.partition());
        try {
            return s3.client().getObjectAsBytes(b -> b.bucket(S3Server.LAKE_BUCKET).key(key))
                    .asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return "";
        }
    }

    @Test
    void crashMidFileResumesFromTheCommittedOffsetWithoutDuplicatesOrLoss() {
        Map<String, String> config = config("midfile", 15);
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = log(0);
        List<SinkRecord> log1 = log(1);

        SinkHarness first = SinkHarness.start(config, Set.of(P0, P1), clock, kafka, true);
        for (long until = 20; until <= 120; until += 20) {
            deliver(first, log0, P0, until, 20);
            deliver(first, log1, P1, until, 20);
            first.commit();
        }
        deliver(first, log0, P0, 137, 17);
        assertTrue(kafka.get(P0) < 120, "open files were not committed: " + kafka);
        // Crash: the first task is gone without close() or stop(); its open files never reach S3.

        SinkHarness second = SinkHarness.start(config, Set.of(P0, P1), clock, kafka, true);
        deliver(second, log0, P0, RECORDS, 23);
        deliver(second, log1, P1, RECORDS, 23);
        flushByIdle(second);
        second.commit();

        assertExactlyOnce(Map.of(P0, RECORDS, P1, RECORDS));
        assertEquals(Map.of(P0, (long) RECORDS, P1, (long) RECORDS), kafka);
        second.stop();
    }

    @Test
    void crashAfterUploadBeforeKafkaCommitSkipsWhatIsAlreadyInS3() {
        Map<String, String> config = config("nocommit", 10);
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = log(0);

        SinkHarness first = SinkHarness.start(config, Set.of(P0), clock, kafka, true);
        deliver(first, log0, P0, RECORDS, 50);
        assertTrue(lake.parquetKeys(prefix + "/").size() > 5, "files were uploaded");
        assertEquals(Map.of(), kafka, "but Kafka never committed");
        // Crash.

        config.put("flush.size", "6");
        SinkHarness second = SinkHarness.start(config, Set.of(P0), clock, kafka, true);
        deliver(second, log0, P0, RECORDS, 50);
        flushByIdle(second);
        second.commit();

        assertExactlyOnce(Map.of(P0, RECORDS));
        second.stop();
    }

    @Test
    void crashBetweenUploadsAndCheckpointIsRepairedByOverwritingWithDifferentRotationPoints() {
        Map<String, String> config = config("overwrite", 9);
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = log(0);

        SinkHarness first = SinkHarness.start(config, Set.of(P0), clock, kafka, true);
        String checkpoint = checkpoint(P0);
        String saved = null;
        long offset = 0;
        // Deliver one record at a time until two groups have been checkpointed; then undo the second
        // checkpoint, as if the task died after uploading that group's files but before checkpointing.
        while (saved == null || checkpoint(P0).equals(saved)) {
            first.put(List.of(log0.get((int) offset++)));
            String now = checkpoint(P0);
            if (!now.equals(checkpoint) && saved == null) {
                saved = now;
            }
            checkpoint = now;
        }
        String key = new ObjectKeyNamer(prefix).checkpointKey(TOPIC, 0);
        String restored = saved;
        s3.client().putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key), RequestBody.fromString(restored));
        long checkpointed = Long.parseLong(saved.replaceAll("(?s).*next\\.offset=(\\d+).*", "$1"));
        long uploadedBeyond = lake.allRows(prefix + "/").stream()
                .filter(r -> (Long) r.get("__kafka_offset") >= checkpointed).count();
        assertTrue(uploadedBeyond > 0, "objects past the checkpoint exist, as after such a crash");
        // Crash; Kafka committed nothing.

        config.put("flush.size", "4");
        SinkHarness second = SinkHarness.start(config, Set.of(P0), clock, kafka, true);
        for (long start = 0; start < RECORDS; start += 7) {
            second.put(log0.subList((int) start, (int) Math.min(RECORDS, start + 7)));
            if (start % 21 == 0) {
                flushByIdle(second);
            }
        }
        flushByIdle(second);
        second.commit();

        assertExactlyOnce(Map.of(P0, RECORDS));
        for (String dataKey : lake.parquetKeys(prefix + "/")) {
            String region = dataKey.replaceAll(".*region=([A-Z]+)/.*", "$1");
            for (GenericRecord row : lake.rows(dataKey)) {
                assertEquals(region, row.get("region").toString(), "rows stay in their partition: " + dataKey);
            }
        }
        second.stop();
    }

    @Test
    void revokedPartitionsAreTakenOverByAnotherTask() {
        Map<String, String> config = config("rebalance", 25);
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = log(0);
        List<SinkRecord> log1 = log(1);

        SinkHarness first = SinkHarness.start(config, Set.of(P0, P1), clock, kafka, true);
        deliver(first, log0, P0, 90, 30);
        deliver(first, log1, P1, 90, 30);
        first.commit();
        first.task().close(Set.of(P1));
        first.context().assign(Set.of(P0));

        SinkHarness second = SinkHarness.start(config, Set.of(P1), clock, kafka, true);
        deliver(second, log1, P1, RECORDS, 40);
        deliver(first, log0, P0, RECORDS, 40);
        flushByIdle(first);
        flushByIdle(second);
        first.commit();
        second.commit();

        assertExactlyOnce(Map.of(P0, RECORDS, P1, RECORDS));
        first.stop();
        second.stop();
    }

    @Test
    void deadLettersOfADiscardedGroupAreReportedOnceByTheNextTask() {
        Map<String, String> config = config("deadletters", 1_000);
        config.put("errors.tolerance", "all");
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = new ArrayList<>(log(0));
        List<Long> tombstones = new ArrayList<>(List.of(0L, 1L, 2L));
        for (long offset = 5; offset < RECORDS; offset += 10) {
            tombstones.add(offset);
        }
        for (long offset : tombstones) {
            SinkRecord good = log0.get((int) offset);
            log0.set((int) offset, good.newRecord(good.topic(), good.kafkaPartition(), null, null, good.valueSchema(),
                    null, good.timestamp()));
        }
        RecordingErrantReporter deadLetterQueue = new RecordingErrantReporter();

        SinkHarness first = SinkHarness.start(config, Set.of(P0), clock, kafka, deadLetterQueue);
        deliver(first, log0, P0, 3, 3);
        assertEquals(List.of(), deadLetterQueue.reports(), "dead letters wait for a checkpoint, too");
        deliver(first, log0, P0, 120, 20);
        first.commit();
        // Crash with the group open: its tombstones must not have reached the dead letter queue yet.

        SinkHarness second = SinkHarness.start(config, Set.of(P0), clock, kafka, deadLetterQueue);
        deliver(second, log0, P0, RECORDS, 30);
        flushByIdle(second);
        second.commit();

        List<Long> reported = deadLetterQueue.reports().stream().map(r -> r.record().kafkaOffset()).sorted().toList();
        assertEquals(tombstones, reported, "each bad record in the dead letter queue exactly once");
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        assertEquals(RECORDS - tombstones.size(), rows.size());
        assertEquals(rows.size(), rows.stream().map(r -> r.get("__kafka_offset")).distinct().count());
        second.stop();
    }

    @Test
    void recordsDeliveredAgainToALiveTaskAreNotWrittenTwice() {
        Map<String, String> config = config("redelivery", 12);
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = log(0);
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock, kafka, true);
        deliver(sink, log0, P0, 60, 9);
        sink.commit();

        sink.seek(P0, sink.committed(P0));
        deliver(sink, log0, P0, RECORDS, 13);
        flushByIdle(sink);
        sink.commit();

        assertExactlyOnce(Map.of(P0, RECORDS));
        sink.stop();
    }

    @Test
    void anS3OutageRewindsThePartitionAndLosesNothing() {
        String bucket = "lake-outage-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        Map<String, String> config = config("outage", 5);
        config.put("s3.bucket.name", bucket);
        Map<TopicPartition, Long> kafka = new HashMap<>();
        List<SinkRecord> log0 = log(0);
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock, kafka, true);
        takeAway(bucket);

        sink.put(log0.subList(0, 40));

        Map<TopicPartition, Long> rewinds = sink.context().takeRequestedOffsets();
        assertEquals(Map.of(P0, 0L), rewinds, "the worker is asked to deliver again from the last durable offset");
        assertEquals(Map.of(), sink.commit(), "nothing is committable");

        s3.createBucket(bucket);
        sink.put(log0.subList(0, RECORDS));
        flushByIdle(sink);
        sink.commit();

        LakeContents outageLake = new LakeContents(s3.client(), bucket, downloads.resolve(bucket));
        List<GenericRecord> rows = outageLake.allRows(prefix + "/");
        assertEquals(RECORDS, rows.size());
        assertEquals(RECORDS, rows.stream().map(r -> r.get("__kafka_offset")).distinct().count());
        assertEquals(Map.of(P0, (long) RECORDS), kafka);
        sink.stop();
    }

    /**
     * An S3 outage of the task's bucket: the bucket disappears. It is not empty, since the task claimed its partitions
     * by writing their checkpoints when they were assigned; those go with it.
     */
    private static void takeAway(String bucket) {
        s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(o -> s3.client().deleteObject(b -> b.bucket(bucket).key(o.key())));
        s3.client().deleteBucket(b -> b.bucket(bucket));
    }

    @Test
    void aPersistentOutageFailsTheTaskAfterRepeatedRewinds() {
        String bucket = "lake-down-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(bucket);
        Map<String, String> config = config("down", 5);
        config.put("s3.bucket.name", bucket);
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock);
        takeAway(bucket);
        List<SinkRecord> log0 = log(0);

        for (int attempt = 1; attempt < PartitionWriters.MAX_CONSECUTIVE_FAILURES; attempt++) {
            sink.put(log0.subList(0, 10));
            assertEquals(Map.of(P0, 0L), sink.context().takeRequestedOffsets(), "attempt " + attempt);
        }
        ConnectException failure = assertThrows(ConnectException.class, () -> sink.put(log0.subList(0, 10)));
        assertTrue(failure.getMessage().contains("giving up"), failure.getMessage());
        assertNotEquals(null, failure.getCause());
        sink.task().stop();
    }
}
