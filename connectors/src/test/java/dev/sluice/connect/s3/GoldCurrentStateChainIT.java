package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.compaction.CompactionSettings;
import dev.sluice.lake.compaction.CurrentStatePublisher;
import dev.sluice.lake.compaction.CurrentStateReport;
import dev.sluice.lake.compaction.CurrentStateResult;
import dev.sluice.lake.compaction.CurrentStateSettings;
import dev.sluice.lake.compaction.FaultInjector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain the deployments run for gold, on one real S3 server: the sink writes a gold changelog with tombstones as
 * delete markers ({@code behavior.on.null.values=delete}), and the current-state publisher turns its closed hours
 * into the latest row per key. The newest snapshot must equal the changelog folded by key in Kafka order, without
 * the deleted keys: each side is tested against the other's format elsewhere, here they meet.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class GoldCurrentStateChainIT {

    private static final String TOPIC = "gold.user_sessions";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final Instant FIRST_HOUR = Instant.parse("2026-03-07T10:00:00Z");
    private static final Schema SESSION = SchemaBuilder.struct().name("dev.sluice.schemas.gold.UserSession")
            .field("user_id", Schema.STRING_SCHEMA).field("event_count", Schema.INT64_SCHEMA).build();

    @TempDir
    static Path downloads;

    @Test
    void theNewestSnapshotIsTheSinksChangelogFoldedByKeyWithoutItsDeletes(S3Server s3) {
        String prefix = "it/chain-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("behavior.on.null.values", "delete");
        config.put("flush.size", "37");
        config.put("rotate.idle.ms", "1000");

        // Three hours of updates to 12 keys, every 7th record deleting its key; some deleted keys come back later.
        List<SinkRecord> log = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        for (int offset = 0; offset < 300; offset++) {
            String key = "user-" + (offset % 12) + "@" + FIRST_HOUR.toEpochMilli();
            long timestamp = FIRST_HOUR.plusSeconds(offset * 36L).toEpochMilli();
            Struct value = offset % 7 == 6 ? null
                    : new Struct(SESSION).put("user_id", "user-" + (offset % 12)).put("event_count", (long) offset);
            log.add(new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, key, value == null ? null : SESSION, value,
                    offset, timestamp, TimestampType.CREATE_TIME));
            if (value == null) {
                expected.remove(key);
            } else {
                expected.put(key, (long) offset);
            }
        }
        AtomicLong clock = new AtomicLong(1_000_000L);
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock, new HashMap<>(), true);
        sink.deliver(log, P0, log.size(), 50);
        clock.addAndGet(5_000);
        sink.putNothing();
        assertEquals(Map.of(P0, 300L), sink.commit(), "every record durable, none dead-lettered");
        assertTrue(sink.reporter().reports().isEmpty(), "tombstones are not dead letters");
        sink.stop();

        Instant now = FIRST_HOUR.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(40));
        CompactionSettings lake = CompactionSettings.builder(S3Server.LAKE_BUCKET).prefixes(List.of(prefix))
                .closedDelay(Duration.ofMinutes(30)).gcGrace(Duration.ZERO).orphanGrace(Duration.ZERO).build();
        CurrentStateReport report = new CurrentStatePublisher(s3.client(), lake, CurrentStateSettings.of(
                List.of("gold.*")), Clock.fixed(now, ZoneOffset.UTC), FaultInjector.NONE).publish();
        assertEquals(3, report.snapshots().stream()
                .filter(r -> r.outcome() == CurrentStateResult.Outcome.PUBLISHED).count(), "one per closed hour: " + report);

        String newest = CurrentStateSettings.locationOf(prefix) + "/" + TOPIC + "/year=2026/month=03/day=07/hour=12/";
        LakeContents contents = new LakeContents(s3.client(), S3Server.LAKE_BUCKET, downloads);
        Map<String, Long> state = new LinkedHashMap<>();
        for (String key : contents.parquetKeys(newest)) {
            if (key.contains("/_deleted/")) {
                continue;
            }
            for (GenericRecord row : contents.rows(key)) {
                assertEquals(Boolean.FALSE, row.get("__deleted"), "no delete marker in the current state: " + row);
                state.put(row.get("__kafka_key").toString(), (Long) row.get("event_count"));
            }
        }
        assertEquals(expected, new TreeMap<>(state));
    }
}
