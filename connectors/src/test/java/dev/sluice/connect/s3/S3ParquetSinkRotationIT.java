package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.DataObjectKey;
import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.ObjectKeyNamer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each rotation rule and schema evolution, observed as objects in a real S3 server. */
@ExtendWith(EmbeddedPlatformExtension.class)
class S3ParquetSinkRotationIT {

    private static final String TOPIC = "silver.orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");

    @TempDir
    static Path downloads;

    private static S3Server s3;
    private static LakeContents lake;
    private final AtomicLong clock = new AtomicLong(5_000_000L);
    private String prefix;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server;
        lake = new LakeContents(server.client(), S3Server.LAKE_BUCKET, downloads);
    }

    private Map<String, String> config(String name) {
        prefix = "it/rotation-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("partition.timestamp.field", "created_at");
        config.put("rotate.idle.ms", "5000");
        return config;
    }

    /** (hour, start offset) of every data object, in key order. */
    private List<String> files() {
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        return lake.parquetKeys(prefix + "/").stream().map(k -> namer.parse(k).orElseThrow())
                .map(k -> k.partitionPath().replaceAll(".*hour=(\\d+).*", "$1") + "@" + k.kafkaPartition() + "+"
                        + k.startOffset())
                .toList();
    }

    private static List<Long> offsets(List<GenericRecord> rows) {
        return rows.stream().map(r -> (Long) r.get("__kafka_offset")).sorted().toList();
    }

    @Test
    void rotatesByRecordCount() {
        Map<String, String> config = config("count");
        config.put("flush.size", "10");
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 35; offset++) {
            SinkRecord record = Orders.record(TOPIC, 0, offset, TEN.plusSeconds(offset));
            // Committed at the source 60 s before the sink's clock, one more second later per offset.
            record.headers().addString(KafkaColumns.SOURCE_TS_HEADER,
                    Long.toString(clock.get() - 60_000 + offset * 1_000));
            records.add(record);
        }

        sink.put(records);

        assertEquals(List.of("10@0+0", "10@0+10", "10@0+20"), files());
        assertEquals(Map.of(P0, 30L), sink.commit(), "the open file's records are not committed");
        for (String key : lake.parquetKeys(prefix + "/")) {
            assertEquals(10, lake.rows(key).size());
        }
        assertEquals(60.0, sink.context().pluginMetric(LakeFreshness.MAX, TOPIC), "offset 0, published at once");
        assertEquals(40.0, sink.context().pluginMetric(LakeFreshness.LAST, TOPIC),
                "offset 20, the third group's oldest");
        clock.addAndGet(5_000);
        sink.putNothing();
        assertEquals(List.of("10@0+0", "10@0+10", "10@0+20", "10@0+30"), files());
        assertEquals(Map.of(P0, 35L), sink.commit());
        assertEquals(35.0, sink.context().pluginMetric(LakeFreshness.LAST, TOPIC), "offset 30, published 5 s later");
        assertEquals(60.0, sink.context().pluginMetric(LakeFreshness.MAX, TOPIC));
        sink.stop();
    }

    @Test
    void rotatesByBytes() {
        Map<String, String> config = config("bytes");
        long limit = 256 * 1024;
        config.put("rotate.bytes", Long.toString(limit));
        config.put("parquet.codec", "none");
        config.put("parquet.row.group.bytes", Long.toString(64 * 1024));
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock);
        Random random = new Random(11);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 1_000; offset++) {
            SinkRecord record = Orders.record(TOPIC, 0, offset, TEN);
            StringBuilder noise = new StringBuilder();
            for (int i = 0; i < 1_000; i++) {
                noise.append((char) ('a' + random.nextInt(26)));
            }
            ((Struct) record.value()).put("attributes", Map.of("noise", noise.toString()));
            records.add(record);
        }

        sink.put(records);
        clock.addAndGet(5_000);
        sink.putNothing();

        List<String> keys = lake.parquetKeys(prefix + "/");
        assertTrue(keys.size() >= 3, "about 1 MB in files of 256 KiB: " + keys.size());
        for (String key : keys.subList(0, keys.size() - 1)) {
            long size = s3.client().headObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key)).contentLength();
            assertTrue(size > limit / 2 && size < limit * 3 / 2, key + " has " + size + " bytes");
        }
        assertEquals(1_000, lake.allRows(prefix + "/").size());
        sink.stop();
    }

    @Test
    void rotatesWhenEventTimeEntersANewWindowAndKeepsLateRecordsInTheirHour() {
        SinkHarness sink = SinkHarness.start(config("eventtime"), Set.of(P0), clock);
        List<SinkRecord> records = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 5; i++) {
            records.add(Orders.record(TOPIC, 0, offset++, TEN.plusSeconds(60L * i)));
        }
        for (int i = 0; i < 5; i++) {
            records.add(Orders.record(TOPIC, 0, offset++, TEN.plusSeconds(3600 + 60L * i)));
        }
        records.add(Orders.record(TOPIC, 0, offset++, TEN.plusSeconds(3599)));
        records.add(Orders.record(TOPIC, 0, offset++, TEN.plusSeconds(3598)));
        for (int i = 0; i < 3; i++) {
            records.add(Orders.record(TOPIC, 0, offset++, TEN.plusSeconds(3900 + i)));
        }
        records.add(Orders.record(TOPIC, 0, offset, TEN.plusSeconds(7200)));

        sink.put(records);

        assertEquals(List.of("10@0+0", "10@0+10", "11@0+5"), files(),
                "hour 10 closed when hour 11 began; late hour-10 records went to a new file; hour 12 is open");
        assertEquals(Map.of(P0, 15L), sink.commit());
        assertEquals(List.of(10L, 11L), offsets(lake.rows(lake.parquetKeys(prefix + "/").get(1))));
        clock.addAndGet(5_000);
        sink.putNothing();
        assertEquals(List.of("10@0+0", "10@0+10", "11@0+5", "12@0+15"), files());
        sink.stop();
    }

    @Test
    void rotatesIdlePartitionsOnEmptyPollsAndOnCommit() {
        SinkHarness sink = SinkHarness.start(config("idle"), Set.of(P0, P1), clock);
        sink.put(List.of(Orders.record(TOPIC, 0, 0, TEN), Orders.record(TOPIC, 1, 0, TEN)));
        clock.addAndGet(3_000);
        sink.put(List.of(Orders.record(TOPIC, 1, 1, TEN)));

        clock.addAndGet(1_999);
        sink.putNothing();
        assertEquals(List.of(), files(), "not idle yet");
        assertEquals(Map.of(P0, 0L, P1, 0L), sink.commit());

        clock.addAndGet(1);
        sink.putNothing();
        assertEquals(List.of("10@0+0"), files(), "partition 0 idle for 5 s, partition 1 only for 2 s");

        clock.addAndGet(3_000);
        assertEquals(Map.of(P0, 1L, P1, 2L), sink.commit(), "the commit itself rotates idle partitions");
        assertEquals(List.of("10@0+0", "10@1+0"), files());
        sink.stop();
    }

    @Test
    void openFileLimitRotatesThePartitionHoldingTheOldestFile() {
        Map<String, String> config = config("maxopen");
        config.put("partition.fields", "region");
        config.put("max.open.files", "2");
        SinkHarness sink = SinkHarness.start(config, Set.of(P0, P1), clock);

        sink.put(List.of(Orders.record(TOPIC, 0, 0, TEN, "A", Orders.V1),
                Orders.record(TOPIC, 1, 0, TEN, "B", Orders.V1)));
        assertEquals(List.of(), files());
        sink.put(List.of(Orders.record(TOPIC, 0, 1, TEN, "C", Orders.V1)));
        assertEquals(List.of("10@0+0"), files(), "partition 0 held the oldest file (region A)");
        sink.put(List.of(Orders.record(TOPIC, 1, 1, TEN, "A", Orders.V1)));
        assertEquals(List.of("10@0+0", "10@1+0"), files(), "then partition 1 held the oldest (region B)");
        assertEquals(Map.of(P0, 1L, P1, 1L), sink.commit());

        clock.addAndGet(5_000);
        sink.putNothing();
        assertEquals(4, lake.allRows(prefix + "/").size());
        sink.stop();
    }

    // ------------------------------------------------------------------ schema evolution

    @Test
    void interleavedCompatibleVersionsShareOneFileAfterTheUpgrade() {
        SinkHarness sink = SinkHarness.start(config("evolution"), Set.of(P0), clock);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 100; offset++) {
            records.add(Orders.record(TOPIC, 0, offset, TEN, "EU", offset % 2 == 0 ? Orders.V1 : Orders.V2));
        }

        sink.put(records);
        clock.addAndGet(5_000);
        sink.putNothing();

        assertEquals(List.of("10@0+0", "10@0+1"), files(), "one roll at the upgrade, not one per switch");
        List<String> keys = lake.parquetKeys(prefix + "/");
        List<GenericRecord> upgraded = lake.rows(keys.get(1));
        assertEquals(99, upgraded.size());
        assertNotNull(upgraded.get(0).getSchema().getField("coupon"));
        for (GenericRecord row : upgraded) {
            long offset = (Long) row.get("__kafka_offset");
            Object coupon = row.get("coupon");
            if (offset % 2 == 0) {
                assertNull(coupon, "v1 rows projected with a null coupon");
            } else {
                assertEquals("SAVE" + offset, coupon.toString());
            }
        }
        assertNull(lake.rows(keys.get(0)).get(0).getSchema().getField("coupon"));
        assertEquals(Map.of(P0, 100L), sink.commit());
        sink.stop();
    }

    @Test
    void newerVersionFirstNeedsNoRollAtAll() {
        SinkHarness sink = SinkHarness.start(config("evolution-newfirst"), Set.of(P0), clock);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 50; offset++) {
            records.add(Orders.record(TOPIC, 0, offset, TEN, "EU", offset % 2 == 0 ? Orders.V2 : Orders.V1));
        }
        sink.put(records);
        clock.addAndGet(5_000);
        sink.putNothing();

        assertEquals(List.of("10@0+0"), files());
        assertEquals(50, lake.allRows(prefix + "/").size());
        sink.stop();
    }

    @Test
    void incompatibleChangesRollANewFile() {
        Schema renamed = SchemaBuilder.struct().name("dev.sluice.test.Order").version(9)
                .field("id", Schema.STRING_SCHEMA)
                .field("created_at", org.apache.kafka.connect.data.Timestamp.SCHEMA)
                .build();
        SinkHarness sink = SinkHarness.start(config("evolution-incompatible"), Set.of(P0), clock);
        List<SinkRecord> records = new ArrayList<>();
        records.add(Orders.record(TOPIC, 0, 0, TEN));
        records.add(Orders.record(TOPIC, 0, 1, TEN));
        records.add(new SinkRecord(TOPIC, 0, null, null, renamed, new Struct(renamed).put("id", "x-2")
                .put("created_at", java.util.Date.from(TEN)), 2, 0L, TimestampType.CREATE_TIME));
        records.add(Orders.record(TOPIC, 0, 3, TEN));

        sink.put(records);
        assertEquals(List.of("10@0+0", "10@0+2"), files(), "each incompatible switch uploads the file it ends");
        assertEquals(Map.of(P0, 0L), sink.commit(), "rolled files alone do not advance the commit");
        clock.addAndGet(5_000);
        sink.putNothing();

        assertEquals(List.of("10@0+0", "10@0+2", "10@0+3"), files());
        assertEquals(List.of(0L, 1L, 2L, 3L), offsets(lake.allRows(prefix + "/")));
        assertEquals(Map.of(P0, 4L), sink.commit());
        sink.stop();
    }

    @Test
    void keysNameTheFirstOffsetOfEachFile() {
        Map<String, String> config = config("names");
        config.put("flush.size", "7");
        SinkHarness sink = SinkHarness.start(config, Set.of(P0), clock);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 100; offset < 121; offset++) {
            records.add(Orders.record(TOPIC, 0, offset, TEN));
        }
        sink.put(records);
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        for (String key : lake.parquetKeys(prefix + "/")) {
            DataObjectKey parsed = namer.parse(key).orElseThrow();
            assertEquals(parsed.startOffset(), offsets(lake.rows(key)).get(0));
        }
        assertEquals(List.of("10@0+100", "10@0+107", "10@0+114"), files());
        sink.stop();
    }
}
