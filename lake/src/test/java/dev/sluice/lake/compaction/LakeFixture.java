package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.OffsetCheckpoints;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Writes a lake the way the S3 sink does (its file names, its checkpoints, its Kafka columns) and reads it back
 * through the published state, for the compaction tests.
 */
final class LakeFixture {

    static final String BUCKET = "lake";

    /** Orders as the sink writes them: value fields plus the Kafka columns. */
    static final Schema ORDER_V1 = orderSchema(false);
    /** {@link #ORDER_V1} plus a nullable field, as a backward-compatible evolution gives. */
    static final Schema ORDER_V2 = orderSchema(true);

    private final S3Client s3;
    private final String prefix;
    private final Random random = new Random(42);

    LakeFixture(S3Client s3, String prefix) {
        this.s3 = s3;
        this.prefix = prefix;
    }

    private static Schema orderSchema(boolean withCoupon) {
        Schema timestamp = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("Order").namespace("dev.sluice.test")
                .fields()
                .requiredLong("id")
                .requiredString("customer")
                .requiredDouble("amount")
                .requiredString("payload")
                .optionalString("__deleted");
        if (withCoupon) {
            fields = fields.optionalString("coupon");
        }
        return fields
                .requiredInt(KafkaColumns.PARTITION)
                .requiredLong(KafkaColumns.OFFSET)
                .name("__kafka_timestamp").type(timestamp).noDefault()
                .endRecord();
    }

    String prefix() {
        return prefix;
    }

    /** The partition of {@code topic} for the hour that started {@code hoursAgo} hours before the current one. */
    LakePartition hourPartition(String topic, int hoursAgo, String... fieldSegments) {
        ZonedDateTime hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(hoursAgo, ChronoUnit.HOURS)
                .atZone(ZoneOffset.UTC);
        StringBuilder path = new StringBuilder(String.format("year=%04d/month=%02d/day=%02d/hour=%02d",
                hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour()));
        for (String segment : fieldSegments) {
            path.append('/').append(segment);
        }
        return new LakePartition(prefix, topic, path.toString());
    }

    /** An order row at Kafka position {@code (kafkaPartition, offset)}. */
    GenericRecord order(Schema schema, long id, int kafkaPartition, long offset, String deleted) {
        GenericRecord row = new GenericData.Record(schema);
        row.put("id", id);
        row.put("customer", "customer-" + (id % 13));
        row.put("amount", (id * 7 % 1000) / 10.0);
        StringBuilder payload = new StringBuilder(120);
        for (int i = 0; i < 120; i++) {
            payload.append((char) ('a' + random.nextInt(26)));
        }
        row.put("payload", payload.toString());
        row.put("__deleted", deleted);
        if (schema.getField("coupon") != null) {
            row.put("coupon", offset % 2 == 0 ? "SAVE" + offset : null);
        }
        row.put(KafkaColumns.PARTITION, kafkaPartition);
        row.put(KafkaColumns.OFFSET, offset);
        row.put("__kafka_timestamp", 1_700_000_000_000L + offset);
        return row;
    }

    /**
     * Writes a sink file of {@code rows} orders with consecutive offsets from {@code startOffset}, ids equal to
     * the offsets; returns its key.
     */
    String sinkFile(LakePartition partition, int kafkaPartition, long startOffset, int rows) {
        List<GenericRecord> records = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            long offset = startOffset + i;
            records.add(order(ORDER_V1, offset, kafkaPartition, offset, null));
        }
        return sinkFile(partition, kafkaPartition, records);
    }

    /** Writes the rows (all of one schema, starting at their first row's offset) as a sink file; returns its key. */
    String sinkFile(LakePartition partition, int kafkaPartition, List<GenericRecord> rows) {
        long startOffset = (Long) rows.get(0).get(KafkaColumns.OFFSET);
        String key = new ObjectKeyNamer(prefix).dataKey(partition.topic(), partition.path(), kafkaPartition,
                startOffset, ParquetCodec.SNAPPY);
        ParquetFileSettings settings = new ParquetFileSettings(BUCKET, ParquetCodec.SNAPPY, 1024 * 1024,
                ParquetFileSettings.DEFAULT_PAGE_BYTES, 5 * 1024 * 1024);
        try {
            ParquetRecordWriter writer = ParquetRecordWriter.open(s3, settings, key, rows.get(0).getSchema());
            for (GenericRecord row : rows) {
                writer.write(row);
            }
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    /** Writes the sink's checkpoint of one Kafka partition. */
    void checkpoint(String topic, int kafkaPartition, long nextOffset) {
        new OffsetCheckpoints(s3, BUCKET).write(new ObjectKeyNamer(prefix), topic, kafkaPartition, nextOffset);
    }

    /** Every object name directly in the partition's directory, sorted. */
    List<String> directoryNames(LakePartition partition) {
        String directory = partition.directory();
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(directory).delimiter("/")).contents().stream()
                .map(S3Object::key).map(k -> k.substring(directory.length())).sorted().toList();
    }

    /** The rows of one object, in file order. */
    List<GenericRecord> rows(String key) {
        long length = s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength();
        S3InputFile file = new S3InputFile(s3, BUCKET, key, length, S3InputFile.DATA_FETCH);
        List<GenericRecord> rows = new ArrayList<>();
        try {
            Schema schema = ParquetFiles.footer(file).schema();
            try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(file, schema)) {
                for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                    rows.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
        return rows;
    }

    /** The rows of the partition's published state. */
    List<GenericRecord> publishedRows(LakePartition partition) {
        List<GenericRecord> rows = new ArrayList<>();
        for (String key : new LakePartitionReader(s3, BUCKET).published(partition).keys()) {
            rows.addAll(rows(key));
        }
        return rows;
    }

    /** Rows as a multiset of their text form. */
    static Map<String, Integer> multiset(List<GenericRecord> rows) {
        Map<String, Integer> counts = new TreeMap<>();
        for (GenericRecord row : rows) {
            counts.merge(row.toString(), 1, Integer::sum);
        }
        return counts;
    }

    /** Asserts that two row lists hold the same rows, as multisets. */
    static void assertSameRows(List<GenericRecord> expected, List<GenericRecord> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        assertEquals(multiset(expected), multiset(actual), "row multiset");
    }

    /** The Kafka positions of rows, in order. */
    static List<MergeKey> positions(List<GenericRecord> rows) {
        List<MergeKey> keys = new ArrayList<>();
        for (GenericRecord row : rows) {
            keys.add(new MergeKey((Integer) row.get(KafkaColumns.PARTITION), (Long) row.get(KafkaColumns.OFFSET)));
        }
        return keys;
    }
}
