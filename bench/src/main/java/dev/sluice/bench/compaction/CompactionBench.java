package dev.sluice.bench.compaction;

import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.OffsetCheckpoints;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import dev.sluice.lake.compaction.LakePartition;
import dev.sluice.lake.compaction.PartitionResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Compaction throughput against a real S3 server (s3proxy on 127.0.0.1), compared in the same run with DuckDB
 * merging the same files ({@code COPY (SELECT * FROM read_parquet([...])) TO ... (FORMAT parquet)}).
 *
 * <p>The input is one closed hour partition of small sink files (orders with the sink's Kafka columns, several
 * Kafka partitions). Sluice compacts it S3 to S3 in one run: plan, merge in Kafka order into target-size files,
 * commit the manifest, delete the inputs. DuckDB cannot reach S3 here, so it is measured twice: on local copies
 * (its best case), and with the transfers a real deployment would need (download the inputs, merge, upload the
 * output) through the same S3 client. Throughput is input bytes per second. Warm-up first, then medians of three
 * interleaved rounds.
 *
 * <p>Run: {@code ./mvnw -q -pl bench exec:exec -Dexec.mainClass=dev.sluice.bench.compaction.CompactionBench
 * -Dbench.records=1000000} (see bench/README.md).
 */
public final class CompactionBench {

    private static final String TOPIC = "silver.orders";
    private static final int KAFKA_PARTITIONS = 4;
    private static final int ROUNDS = 3;
    private static final String[] STATUS = {"NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"};
    private static final String[] REGIONS = {"EMEA", "AMER", "APAC"};
    private static final Schema TIMESTAMP = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("dev.sluice.bench").fields()
            .requiredLong("id").requiredLong("customer_id").requiredString("status").requiredString("region")
            .requiredDouble("amount").requiredString("currency")
            .name("created_at").type(TIMESTAMP).noDefault()
            .optionalString("note")
            .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET)
            .name(KafkaColumns.TIMESTAMP).type(TIMESTAMP).noDefault()
            .endRecord();

    private CompactionBench() {
    }

    /** One generated input set: rows by Kafka partition, cut into sink-sized files. */
    private record Input(List<List<GenericRecord>> files, List<Integer> kafkaPartitions, long rows) {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 500_000);
        int files = Integer.getInteger("bench.compaction.files", 200);
        Path work = Files.createTempDirectory("sluice-compaction-bench");
        System.setProperty("java.io.tmpdir", work.toString());
        try (S3Server server = S3Server.start(work.resolve("s3"), 0)) {
            S3Client s3 = server.client();
            Input input = generate(records, files);
            String hourPath = hourPath();

            System.out.println("warm-up ...");
            Input warm = generate(Math.max(10_000, records / 10), Math.max(8, files / 10));
            compactRound(s3, warm, "bench-warm", hourPath);
            Path warmLocal = download(s3, upload(s3, warm, "bench-warm-duck", hourPath), work.resolve("warm"));
            duckDb(listParquet(warmLocal), work.resolve("warm-out.parquet"), false);

            List<Double> sluice = new ArrayList<>();
            List<Double> duckLocal = new ArrayList<>();
            List<Double> duckOrdered = new ArrayList<>();
            List<Double> duckWithS3 = new ArrayList<>();
            long inputBytes = 0;
            long outputFiles = 0;
            for (int round = 0; round < ROUNDS; round++) {
                int r = round;
                PartitionResult result = compactRound(s3, input, "bench-" + round, hourPath);
                sluice.add(result.duration().toNanos() / 1e9);
                inputBytes = result.inputBytes();
                outputFiles = result.outputFiles();

                String prefix = "bench-duck-" + round;
                LakePartition partition = upload(s3, input, prefix, hourPath);
                Path local = work.resolve("local-" + round);
                long start = System.nanoTime();
                download(s3, partition, local);
                Path out = work.resolve("duck-" + round + ".parquet");
                duckDb(listParquet(local), out, false);
                s3.putObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(prefix + "/merged.parquet"),
                        RequestBody.fromFile(out));
                duckWithS3.add((System.nanoTime() - start) / 1e9);
                duckLocal.add(timed(() -> duckDb(listParquet(local), work.resolve("duck-local-" + r + ".parquet"),
                        false)));
                duckOrdered.add(timed(() -> duckDb(listParquet(local), work.resolve("duck-ordered-" + r + ".parquet"),
                        true)));
            }

            double mb = inputBytes / 1e6;
            System.out.printf(Locale.ROOT, "%ninput: %d rows in %d files of %d Kafka partitions, %.1f MB "
                    + "(snappy); Sluice wrote %d file(s)%n", input.rows(), input.files().size(), KAFKA_PARTITIONS,
                    mb, outputFiles);
            print("Sluice compaction, S3 -> S3 (plan, merge, commit, delete)", sluice, mb);
            print("DuckDB COPY, local files", duckLocal, mb);
            print("DuckDB COPY ... ORDER BY partition, offset, local", duckOrdered, mb);
            print("DuckDB COPY incl. S3 download + upload", duckWithS3, mb);
            System.out.printf(Locale.ROOT, "ratio Sluice / DuckDB local: %.2f%n", median(duckLocal) / median(sluice));
            System.out.printf(Locale.ROOT, "ratio Sluice / DuckDB ordered local: %.2f%n",
                    median(duckOrdered) / median(sluice));
            System.out.printf(Locale.ROOT, "ratio Sluice / DuckDB incl. S3 transfers: %.2f%n",
                    median(duckWithS3) / median(sluice));
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Input generate(int records, int files) {
        Random random = new Random(7);
        List<List<GenericRecord>> out = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        int perFile = Math.max(1, records / files);
        long[] offsets = new long[KAFKA_PARTITIONS];
        long id = 0;
        for (int f = 0; f < files; f++) {
            int kafkaPartition = f % KAFKA_PARTITIONS;
            List<GenericRecord> rows = new ArrayList<>(perFile);
            for (int i = 0; i < perFile; i++) {
                GenericRecord row = new GenericData.Record(ORDER);
                long offset = offsets[kafkaPartition]++;
                row.put("id", id++);
                row.put("customer_id", 1 + random.nextInt(50_000));
                row.put("status", STATUS[random.nextInt(STATUS.length)]);
                row.put("region", REGIONS[random.nextInt(REGIONS.length)]);
                row.put("amount", Math.round(random.nextDouble() * 100_000) / 100.0);
                row.put("currency", "EUR");
                row.put("created_at", 1_772_877_600_000L + id * 3);
                row.put("note", random.nextInt(4) == 0 ? null : "gift wrap " + Long.toString(random.nextLong(), 36));
                row.put(KafkaColumns.PARTITION, kafkaPartition);
                row.put(KafkaColumns.OFFSET, offset);
                row.put(KafkaColumns.TIMESTAMP, 1_772_877_600_000L + id * 3);
                rows.add(row);
            }
            out.add(rows);
            partitions.add(kafkaPartition);
        }
        return new Input(out, partitions, (long) perFile * files);
    }

    private static String hourPath() {
        ZonedDateTime hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS)
                .atZone(ZoneOffset.UTC);
        return String.format("year=%04d/month=%02d/day=%02d/hour=%02d", hour.getYear(), hour.getMonthValue(),
                hour.getDayOfMonth(), hour.getHour());
    }

    /** Writes the input as the sink would (names, checkpoints); returns its partition. */
    private static LakePartition upload(S3Client s3, Input input, String prefix, String hourPath) throws IOException {
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        ParquetFileSettings settings = new ParquetFileSettings(S3Server.LAKE_BUCKET, ParquetCodec.SNAPPY,
                16L * 1024 * 1024, ParquetFileSettings.DEFAULT_PAGE_BYTES, 8 * 1024 * 1024);
        long[] next = new long[KAFKA_PARTITIONS];
        for (int f = 0; f < input.files().size(); f++) {
            List<GenericRecord> rows = input.files().get(f);
            int kafkaPartition = input.kafkaPartitions().get(f);
            long start = (Long) rows.get(0).get(KafkaColumns.OFFSET);
            ParquetRecordWriter writer = ParquetRecordWriter.open(s3, settings,
                    namer.dataKey(TOPIC, hourPath, kafkaPartition, start, ParquetCodec.SNAPPY), ORDER);
            for (GenericRecord row : rows) {
                writer.write(row);
            }
            writer.commit();
            next[kafkaPartition] = start + rows.size();
        }
        OffsetCheckpoints checkpoints = new OffsetCheckpoints(s3, S3Server.LAKE_BUCKET);
        for (int p = 0; p < KAFKA_PARTITIONS; p++) {
            checkpoints.write(namer, TOPIC, p, next[p]);
        }
        return new LakePartition(prefix, TOPIC, hourPath);
    }

    private static PartitionResult compactRound(S3Client s3, Input input, String prefix, String hourPath)
            throws IOException {
        LakePartition partition = upload(s3, input, prefix, hourPath);
        CompactionSettings settings = CompactionSettings.builder(S3Server.LAKE_BUCKET).prefixes(List.of(prefix))
                .gcGrace(Duration.ZERO).build();
        PartitionResult result = new CompactionEngine(s3, settings).compact(partition);
        if (result.outcome() != PartitionResult.Outcome.COMPACTED || result.rowsOut() != input.rows()) {
            throw new IllegalStateException("compaction did not complete: " + result);
        }
        return result;
    }

    private static Path download(S3Client s3, LakePartition partition, Path directory) throws IOException {
        Files.createDirectories(directory);
        String dir = partition.directory();
        s3.listObjectsV2Paginator(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(dir)).contents().forEach(object ->
                s3.getObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(object.key()),
                        directory.resolve(object.key().substring(dir.length()))));
        return directory;
    }

    /** The Parquet files of a directory in name order, which is Kafka order for sink names. */
    private static List<Path> listParquet(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static void duckDb(List<Path> inputs, Path output, boolean ordered) throws SQLException {
        StringBuilder list = new StringBuilder();
        for (Path input : inputs) {
            list.append(list.isEmpty() ? "" : ",").append('\'').append(input.toString().replace("'", "''")).append('\'');
        }
        String order = ordered ? " ORDER BY __kafka_partition, __kafka_offset" : "";
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement()) {
            statement.execute("COPY (SELECT * FROM read_parquet([" + list + "])" + order + ") TO '"
                    + output.toString().replace("'", "''") + "' (FORMAT parquet, COMPRESSION snappy)");
        }
    }

    /** Something timed. */
    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private static double timed(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static void print(String what, List<Double> seconds, double mb) {
        double median = median(seconds);
        System.out.printf(Locale.ROOT, "%-60s median %6.2f s  %7.1f MB/s  (rounds: %s)%n", what, median, mb / median,
                seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList());
    }
}
