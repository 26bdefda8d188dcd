package dev.sluice.lake.compaction;

import dev.sluice.lake.KafkaColumns;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A gold changelog as the S3 sink writes it with {@code behavior.on.null.values=delete}: aggregate rows with the
 * {@code __kafka_key} and {@code __deleted} columns, a tombstone being a row with null values and
 * {@code __deleted = true}. Remembers every row written, so that a test can fold the expected state by itself.
 */
final class GoldChangelog {

    static final String TOPIC = "gold.customer_totals";
    static final int KAFKA_PARTITIONS = 2;

    static final Schema SCHEMA = SchemaBuilder.record("CustomerTotal").namespace("dev.sluice.test").fields()
            .optionalString("customer_id")
            .optionalDouble("total")
            .optionalLong("orders")
            .requiredString(CurrentStateSettings.KAFKA_KEY_FIELD)
            .requiredBoolean("__deleted")
            .requiredInt(KafkaColumns.PARTITION)
            .requiredLong(KafkaColumns.OFFSET)
            .name(KafkaColumns.TIMESTAMP).type(LogicalTypes.timestampMillis()
                    .addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
            .endRecord();

    private final LakeFixture lake;
    private final Random random;
    private final long[] nextOffset = new long[KAFKA_PARTITIONS];
    /** Every row written, by hour path. */
    private final Map<String, List<GenericRecord>> rowsByHour = new LinkedHashMap<>();

    GoldChangelog(LakeFixture lake, long seed) {
        this.lake = lake;
        this.random = new Random(seed);
    }

    /** The partition of the hour starting at {@code start} (UTC). */
    LakePartition hour(Instant start) {
        ZonedDateTime hour = start.atZone(ZoneOffset.UTC);
        return new LakePartition(lake.prefix(), TOPIC, String.format("year=%04d/month=%02d/day=%02d/hour=%02d",
                hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour()));
    }

    /**
     * Writes {@code files} sink files per Kafka partition into the hour, {@code rowsPerFile} changes each, about
     * one in six a tombstone, keys drawn from {@code keys} customers so that they recur within and across hours;
     * checkpoints them.
     */
    void write(LakePartition hour, int files, int rowsPerFile, int keys) {
        for (int f = 0; f < files; f++) {
            for (int p = 0; p < KAFKA_PARTITIONS; p++) {
                List<GenericRecord> rows = new ArrayList<>();
                while (rows.size() < rowsPerFile) {
                    String key = "c" + random.nextInt(keys);
                    if (Math.floorMod(key.hashCode(), KAFKA_PARTITIONS) == p) {
                        rows.add(row(key, p, random.nextInt(6) == 0));
                    }
                }
                lake.sinkFile(hour, p, rows);
                rowsByHour.computeIfAbsent(hour.path(), h -> new ArrayList<>()).addAll(rows);
                lake.checkpoint(TOPIC, p, nextOffset[p]);
            }
        }
    }

    /** The offset the next row of a Kafka partition gets: what the sink's checkpoint says after the last file. */
    long nextOffset(int kafkaPartition) {
        return nextOffset[kafkaPartition];
    }

    private GenericRecord row(String key, int kafkaPartition, boolean tombstone) {
        GenericRecord row = new GenericData.Record(SCHEMA);
        long offset = nextOffset[kafkaPartition]++;
        if (!tombstone) {
            row.put("customer_id", key);
            row.put("total", random.nextInt(100_000) / 100.0);
            row.put("orders", (long) random.nextInt(50));
        }
        row.put(CurrentStateSettings.KAFKA_KEY_FIELD, key);
        row.put("__deleted", tombstone);
        row.put(KafkaColumns.PARTITION, kafkaPartition);
        row.put(KafkaColumns.OFFSET, offset);
        row.put(KafkaColumns.TIMESTAMP, 1_772_841_600_000L + offset);
        return row;
    }

    /**
     * The state after the hours up to {@code lastHour}: a plain fold of their rows in Kafka order, latest row per
     * key, keys whose latest row is a tombstone gone. Rows as text, sorted.
     */
    List<String> expectedState(String lastHour) {
        List<GenericRecord> rows = new ArrayList<>();
        rowsByHour.forEach((hour, hourRows) -> {
            if (hour.compareTo(lastHour) <= 0) {
                rows.addAll(hourRows);
            }
        });
        rows.sort(Comparator.comparing((GenericRecord r) -> (Integer) r.get(KafkaColumns.PARTITION))
                .thenComparing(r -> (Long) r.get(KafkaColumns.OFFSET)));
        Map<String, GenericRecord> latest = new LinkedHashMap<>();
        for (GenericRecord row : rows) {
            latest.put(row.get(CurrentStateSettings.KAFKA_KEY_FIELD).toString(), row);
        }
        return latest.values().stream().filter(row -> !(Boolean) row.get("__deleted")).map(GenericRecord::toString)
                .sorted().toList();
    }

    /** How many tombstones were written up to {@code lastHour}. */
    long tombstones(String lastHour) {
        return rowsByHour.entrySet().stream().filter(e -> e.getKey().compareTo(lastHour) <= 0)
                .flatMap(e -> e.getValue().stream()).filter(row -> (Boolean) row.get("__deleted")).count();
    }
}
