package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.ObjectKeyNamer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tasks on one partition, as after a rebalance that a blocked task (a zombie) has not noticed yet: the task that
 * took the partition over writes on, and the zombie can neither replace its files nor move its checkpoint or its
 * committed offset.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class S3ParquetSinkFencingIT {

    private static final String TOPIC = "silver.orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");

    @TempDir
    static Path downloads;

    private static S3Server s3;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server;
    }

    /** The partition's records as a task sees them, every one with {@code region} marking who delivered it. */
    private static List<SinkRecord> log(String region) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 200; offset++) {
            records.add(Orders.record(TOPIC, 0, offset, TEN.plusSeconds(offset), region, Orders.V1));
        }
        return records;
    }

    @Test
    void aTaskThatLostItsPartitionNeitherOverwritesNorCommits() {
        String prefix = "it/fencing-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("flush.size", "100");
        AtomicLong clock = new AtomicLong(1_000_000L);

        SinkHarness zombie = SinkHarness.start(config, Set.of(P0), clock, new HashMap<>(), true);
        zombie.deliver(log("ZOMBIE"), P0, 50, 50);

        // The group moved the partition on while the zombie was blocked: the successor claims it and writes a group.
        SinkHarness successor = SinkHarness.start(config, Set.of(P0), clock, new HashMap<>(), true);
        successor.deliver(log("EU"), P0, 100, 50);
        assertEquals(100L, successor.commit().get(P0));
        String checkpoint = checkpointText(prefix);
        assertTrue(checkpoint.contains("next.offset=100"), checkpoint);

        // The zombie resumes; its open file fills up at offset 99 and would be published over the successor's.
        zombie.deliver(log("ZOMBIE"), P0, 150, 50);
        assertFalse(zombie.commit().containsKey(P0), "the zombie commits nothing of the partition");
        assertEquals(Set.of(P0), zombie.context().paused(), "the zombie stops fetching the partition");
        assertEquals(checkpoint, checkpointText(prefix), "the zombie did not touch the checkpoint");
        assertRows(prefix, 100);

        // The successor is undisturbed: its next group publishes and checkpoints as usual.
        successor.deliver(log("EU"), P0, 200, 50);
        assertEquals(200L, successor.commit().get(P0));
        assertRows(prefix, 200);
        successor.stop();
    }

    /** The lake holds offsets 0..count-1 once each, all from the successor. */
    private static void assertRows(String prefix, int count) {
        LakeContents lake = new LakeContents(s3.client(), S3Server.LAKE_BUCKET,
                downloads.resolve(UUID.randomUUID().toString()));
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        assertEquals(count, rows.size());
        assertEquals(count, rows.stream().map(r -> r.get("id")).distinct().count());
        assertTrue(rows.stream().allMatch(r -> "EU".equals(r.get("region").toString())), "no row of the zombie");
    }

    private static String checkpointText(String prefix) {
        String key = new ObjectKeyNamer(prefix).checkpointKey(TOPIC, 0);
        return s3.client().getObjectAsBytes(b -> b.bucket(S3Server.LAKE_BUCKET).key(key))
                .asString(StandardCharsets.UTF_8);
    }
}
