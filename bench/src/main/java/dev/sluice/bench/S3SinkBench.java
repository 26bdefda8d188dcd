package dev.sluice.bench;

import dev.sluice.connect.s3.S3ParquetSinkTask;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Throughput of the S3 Parquet sink task against a real S3 server (s3proxy on 127.0.0.1), compared in the
 * same run with the baseline of writing the same rows with plain parquet-avro to a local file.
 *
 * <p>Scenario "one file": every record in one hour and one Kafka partition, {@code flush.size} equal to the
 * record count, so the sink does the same Parquet work as the baseline plus conversion from Connect, routing,
 * the multipart upload and the checkpoint. Scenario "layout": three hours times three regions, default
 * rotation, as the sink runs in the pipeline. Timings stop when the data is durable: the baseline's file is
 * closed, the sink's objects are uploaded and its offsets committable.
 *
 * <p>Run: {@code ./mvnw -q -pl bench exec:exec -Dbench.records=500000} after {@code ./mvnw -pl bench -am install
 * -DskipTests}.
 */
public final class S3SinkBench {

    private static final String TOPIC = "silver.orders";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Instant HOUR = Instant.parse("2026-03-07T10:00:00Z");
    private static final String[] REGIONS = {"EU", "US", "APAC"};
    private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "DELIVERED", "RETURNED"};
    private static final int BATCH = 500;
    private static final int REPETITIONS = 3;
    private static final long PART_SIZE = 8L * 1024 * 1024;
    private static final long ROW_GROUP = 16L * 1024 * 1024;
    private static final int PAGE = 1024 * 1024;

    private static final org.apache.kafka.connect.data.Schema ITEM = SchemaBuilder.struct().name("Item")
            .field("sku", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("qty", org.apache.kafka.connect.data.Schema.INT32_SCHEMA).build();
    private static final org.apache.kafka.connect.data.Schema ORDER = SchemaBuilder.struct()
            .name("dev.sluice.bench.Order")
            .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("customer", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("region", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").build())
            .field("created_at", Timestamp.SCHEMA)
            .field("status", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("note", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("items", SchemaBuilder.array(ITEM).build())
            .build();

    private final S3Server s3;
    private final Path work;
    private int run;

    private S3SinkBench(S3Server s3, Path work) {
        this.s3 = s3;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 500_000);
        Path work = Files.createTempDirectory("sluice-bench-");
        try (S3Server s3 = S3Server.start(work.resolve("s3"), 0)) {
            new S3SinkBench(s3, work).run(records);
        } finally {
            deleteRecursively(work);
        }
    }

    private void run(int count) throws Exception {
        System.out.printf(Locale.ROOT, "generating %,d orders%n", count);
        List<SinkRecord> oneHour = records(count, 1);
        List<SinkRecord> threeHours = records(count, 3);

        // Warm up both paths, and learn the exact Avro schema the sink writes so the baseline writes the same.
        sink(oneHour.subList(0, count / 5), false);
        Schema fileSchema = schemaOfLastRun();
        List<GenericRecord> avro = avroRows(oneHour, fileSchema);
        baseline(avro.subList(0, count / 5), fileSchema);
        sink(oneHour.subList(0, count / 5), false);
        baseline(avro.subList(0, count / 5), fileSchema);

        List<Result> baseline = new ArrayList<>();
        List<Result> oneFile = new ArrayList<>();
        List<Result> layout = new ArrayList<>();
        for (int i = 0; i < REPETITIONS; i++) {
            baseline.add(baseline(avro, fileSchema));
            oneFile.add(sink(oneHour, false));
            layout.add(sink(threeHours, true));
        }
        Result base = median(baseline);
        Result sink = median(oneFile);
        Result realistic = median(layout);
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d records, snappy, row groups of %d MiB, medians of %d runs%n", count,
                ROW_GROUP >> 20, REPETITIONS);
        System.out.printf(Locale.ROOT, "%-44s %14s %10s %8s %6s%n", "", "records/s", "MB/s", "MB", "files");
        print("baseline: parquet-avro to a local file", base);
        print("sink task to S3, one file", sink);
        print("sink task to S3, 3 hours x 3 regions", realistic);
        System.out.printf(Locale.ROOT, "ratio sink/baseline (records/s): one file %.2f, layout %.2f%n",
                sink.recordsPerSecond() / base.recordsPerSecond(), realistic.recordsPerSecond() / base.recordsPerSecond());
    }

    private static void print(String label, Result r) {
        System.out.printf(Locale.ROOT, "%-44s %,14.0f %10.1f %8.1f %6d%n", label, r.recordsPerSecond(),
                r.megabytesPerSecond(), r.bytes() / 1e6, r.files());
    }

    private record Result(long records, long nanos, long bytes, int files) {
        double recordsPerSecond() {
            return records * 1e9 / nanos;
        }

        double megabytesPerSecond() {
            return bytes / 1e6 * 1e9 / nanos;
        }
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(Result::nanos));
        return sorted.get(sorted.size() / 2);
    }

    // ------------------------------------------------------------------ the two contenders

    private Result sink(List<SinkRecord> records, boolean layout) {
        String prefix = "bench/run-" + (++run);
        Map<String, String> config = new HashMap<>();
        config.put("s3.bucket.name", S3Server.LAKE_BUCKET);
        config.put("s3.endpoint", s3.endpoint().toString());
        config.put("s3.region", s3.region());
        config.put("s3.path.style.access", "true");
        config.put("aws.access.key.id", s3.accessKey());
        config.put("aws.secret.access.key", s3.secretKey());
        config.put("topics.dir", prefix);
        config.put("partition.timestamp.field", "created_at");
        config.put("parquet.codec", "snappy");
        config.put("parquet.row.group.bytes", Long.toString(ROW_GROUP));
        config.put("s3.part.size.bytes", Long.toString(PART_SIZE));
        config.put("rotate.idle.ms", "-1");
        if (layout) {
            config.put("partition.fields", "region");
            config.put("flush.size", Integer.toString(records.size() / 3));
        } else {
            config.put("flush.size", Integer.toString(records.size()));
            config.put("rotate.interval.ms", "-1");
            config.put("rotate.bytes", Long.toString(Long.MAX_VALUE));
        }
        BenchSinkTaskContext context = new BenchSinkTaskContext(config, Set.of(TP));
        S3ParquetSinkTask task = new S3ParquetSinkTask();
        task.initialize(context);
        task.start(config);
        task.open(Set.of(TP));

        long start = System.nanoTime();
        for (int from = 0; from < records.size(); from += BATCH) {
            task.put(records.subList(from, Math.min(records.size(), from + BATCH)));
        }
        if (layout) {
            // The last group of the layout run is still open; the window of the next hour closes it.
            task.put(List.of(record(records.size(), HOUR.plusSeconds(4 * 3600))));
        }
        Map<TopicPartition, OffsetAndMetadata> committable = task.preCommit(Map.of());
        long nanos = System.nanoTime() - start;

        long expected = records.size();
        if (committable.get(TP) == null || committable.get(TP).offset() != expected) {
            throw new IllegalStateException("sink did not make every record durable: " + committable);
        }
        task.close(Set.of(TP));
        task.stop();
        List<S3Object> objects = objects(prefix);
        return new Result(records.size(), nanos, objects.stream().mapToLong(S3Object::size).sum(), objects.size());
    }

    private Result baseline(List<GenericRecord> rows, Schema schema) throws IOException {
        Path file = work.resolve("baseline-" + (++run) + ".parquet");
        Configuration conf = new Configuration(false);
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        long start = System.nanoTime();
        AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(
                        new LocalOutputFile(file))
                .withSchema(schema)
                .withDataModel(GenericData.get())
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP)
                .withPageSize(PAGE)
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
        // The same encodings as the sink's files, so that both do the same Parquet work.
        KafkaColumns.NEAR_UNIQUE.forEach(column -> builder.withDictionaryEncoding(column, false));
        try (ParquetWriter<GenericRecord> writer = builder.build()) {
            for (GenericRecord row : rows) {
                writer.write(row);
            }
        }
        long nanos = System.nanoTime() - start;
        long bytes = Files.size(file);
        Files.delete(file);
        return new Result(rows.size(), nanos, bytes, 1);
    }

    private List<S3Object> objects(String prefix) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(prefix + "/" + TOPIC + "/"))
                .contents().stream().toList();
    }

    private Schema schemaOfLastRun() throws IOException {
        S3Object object = objects("bench/run-" + run).get(0);
        Path local = work.resolve("schema.parquet");
        s3.client().getObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(object.key()), local);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(local))) {
            String avroSchema = reader.getFooter().getFileMetaData().getKeyValueMetaData().get("parquet.avro.schema");
            return new Schema.Parser().parse(avroSchema);
        } finally {
            Files.delete(local);
        }
    }

    // ------------------------------------------------------------------ data

    /** Orders spread evenly over {@code hours} hours of event time, offsets 0..count-1. */
    private static List<SinkRecord> records(int count, int hours) {
        List<SinkRecord> records = new ArrayList<>(count);
        long spreadSeconds = hours * 3600L - 1;
        for (int i = 0; i < count; i++) {
            records.add(record(i, HOUR.plusSeconds(i * spreadSeconds / count)));
        }
        return records;
    }

    private static SinkRecord record(long offset, Instant createdAt) {
        Random random = new Random(offset);
        Struct value = new Struct(ORDER)
                .put("id", offset)
                .put("customer", "customer-" + random.nextInt(1_000))
                .put("region", REGIONS[(int) (offset % REGIONS.length)])
                .put("amount", BigDecimal.valueOf(random.nextInt(10_000_000), 2))
                .put("created_at", java.util.Date.from(createdAt))
                .put("status", STATUSES[random.nextInt(STATUSES.length)])
                .put("note", random.nextInt(4) == 0 ? null : "note " + Long.toString(random.nextLong(), 36))
                .put("items", List.of(new Struct(ITEM).put("sku", "sku-" + random.nextInt(5_000))
                        .put("qty", 1 + random.nextInt(9))));
        return new SinkRecord(TOPIC, 0, null, null, ORDER, value, offset, createdAt.toEpochMilli(),
                TimestampType.CREATE_TIME);
    }

    /** The same rows as plain Avro records of the sink's file schema, as a parquet-avro user would have them. */
    private static List<GenericRecord> avroRows(List<SinkRecord> records, Schema schema) {
        Schema itemSchema = schema.getField("items").schema().getElementType();
        List<GenericRecord> rows = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            Struct value = (Struct) record.value();
            Struct item = (Struct) value.getArray("items").get(0);
            GenericData.Record avroItem = new GenericData.Record(itemSchema);
            avroItem.put("sku", item.getString("sku"));
            avroItem.put("qty", item.getInt32("qty"));
            GenericData.Record row = new GenericData.Record(schema);
            row.put("id", value.getInt64("id"));
            row.put("customer", value.getString("customer"));
            row.put("region", value.getString("region"));
            row.put("amount", ByteBuffer.wrap(((BigDecimal) value.get("amount")).unscaledValue().toByteArray()));
            row.put("created_at", ((java.util.Date) value.get("created_at")).getTime());
            row.put("status", value.getString("status"));
            row.put("note", value.getString("note"));
            row.put("items", List.of(avroItem));
            row.put(KafkaColumns.PARTITION, record.kafkaPartition());
            row.put(KafkaColumns.OFFSET, record.kafkaOffset());
            row.put(KafkaColumns.TIMESTAMP, record.timestamp());
            rows.add(row);
        }
        return rows;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
