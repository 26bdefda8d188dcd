package dev.sluice.lake.compaction;

import static dev.sluice.lake.compaction.LakeFixture.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** Snapshot mode on a CDC topic: creates, updates and deletes collapse to the latest state per key. */
@ExtendWith(EmbeddedPlatformExtension.class)
class SnapshotCompactionIT {

    private static final String DROPPING = "silver.customers";
    private static final String KEEPING = "silver.products";

    private static S3Client s3;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server.client();
    }

    /** A change log: what was written, in Kafka order, so the expected state can be replayed. */
    private static final class ChangeLog {
        final LakeFixture lake;
        final LakePartition partition;
        final List<GenericRecord> all = new ArrayList<>();
        long offset;

        ChangeLog(LakeFixture lake, LakePartition partition, long firstOffset) {
            this.lake = lake;
            this.partition = partition;
            this.offset = firstOffset;
        }

        /** One sink file of changes: ids >= 0 upsert, ids < 0 delete -id. */
        void file(long... ids) {
            List<GenericRecord> rows = new ArrayList<>();
            for (long id : ids) {
                boolean delete = id < 0;
                rows.add(lake.order(LakeFixture.ORDER_V1, Math.abs(id), 0, offset++, delete ? "true" : "false"));
            }
            lake.sinkFile(partition, 0, rows);
            all.addAll(rows);
            lake.checkpoint(partition.topic(), 0, offset);
        }

        /** The latest row per id, in Kafka order, with or without the delete rows. */
        List<String> expected(boolean keepDeletes) {
            Map<Long, GenericRecord> latest = new LinkedHashMap<>();
            for (GenericRecord row : all) {
                long id = (Long) row.get("id");
                latest.remove(id);
                if (keepDeletes || !"true".equals(row.get("__deleted"))) {
                    latest.put(id, row);
                }
            }
            return latest.values().stream().sorted((a, b) -> Long.compare((Long) a.get(KafkaColumns.OFFSET),
                    (Long) b.get(KafkaColumns.OFFSET))).map(GenericRecord::toString).toList();
        }
    }

    private static List<String> published(LakeFixture lake, LakePartition partition) {
        return lake.publishedRows(partition).stream().map(GenericRecord::toString).toList();
    }

    @Test
    void updatesAndDeletesCollapseToTheLatestStatePerKey() {
        LakeFixture lake = new LakeFixture(s3, "it-snapshot/" + UUID.randomUUID());
        LakePartition dropping = lake.hourPartition(DROPPING, 3);
        LakePartition keeping = lake.hourPartition(KEEPING, 3);
        CompactionEngine engine = new CompactionEngine(s3, CompactionIT.settings(lake.prefix())
                .snapshots(Map.of(DROPPING, SnapshotSpec.of(List.of("id")),
                        KEEPING, new SnapshotSpec(List.of("id"), SnapshotSpec.DEFAULT_DELETED_FIELD, true)))
                .build());
        List<ChangeLog> logs = new ArrayList<>();
        for (LakePartition partition : List.of(dropping, keeping)) {
            ChangeLog log = new ChangeLog(lake, partition, 0);
            long[] creates = new long[50];
            for (int i = 0; i < 50; i++) {
                creates[i] = i + 1;
            }
            log.file(creates);
            log.file(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -11, -12, -13, -14, -15, 51, 52, 53);
            log.file(1, -51, 11, 2, 2);
            logs.add(log);
        }

        CompactionRunReport first = engine.run();

        assertTrue(first.succeeded(), first.toString());
        assertEquals(2, first.count(PartitionResult.Outcome.COMPACTED));
        for (PartitionResult result : first.partitions()) {
            assertEquals(73, result.rowsIn());
        }
        List<String> afterDropping = published(lake, dropping);
        assertEquals(logs.get(0).expected(false), afterDropping, "latest row per id, deletes gone, Kafka order");
        assertEquals(48, afterDropping.size(), "53 ids minus 12..15 and 51");
        List<String> afterKeeping = published(lake, keeping);
        assertEquals(logs.get(1).expected(true), afterKeeping, "latest row per id, delete rows kept");
        assertEquals(53, afterKeeping.size());

        // New changes arrive in the same hour and are folded into the snapshot by the next run.
        for (ChangeLog log : logs) {
            log.file(3, -4, 12, -1);
        }
        CompactionRunReport second = engine.run();

        assertEquals(2, second.count(PartitionResult.Outcome.COMPACTED), second.toString());
        assertEquals(logs.get(0).expected(false), published(lake, dropping));
        assertEquals(logs.get(1).expected(true), published(lake, keeping));
        PublishedState state = new LakePartitionReader(s3, BUCKET).published(dropping);
        assertEquals(2, state.generation());
        assertTrue(state.files().stream().allMatch(f -> f.origin() == PublishedFile.Origin.COMPACTED));
        assertTrue(engine.run().partitions().isEmpty(), "nothing new: nothing to do");
    }
}
