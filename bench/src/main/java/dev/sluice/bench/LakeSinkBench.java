package dev.sluice.bench;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatform;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.iceberg.IcebergCatalogSettings;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The two lake formats' sinks in a real Connect worker, same run: Sluice's S3 Parquet sink and Apache Iceberg's sink
 * (JDBC catalog on the embedded PostgreSQL, S3FileIO), each reading the same Avro topic through the registry and
 * writing it to the embedded S3 server, beside the baseline of a plain consumer that decodes the same records and
 * writes them with parquet-avro to a local file. Records span three hours of event time, so both sinks write three
 * hour partitions. A sink's time runs from its registration until the records are visible in the lake: for the
 * Parquet sink, until its consumer group has committed the topic's end offset, which it does only once the objects
 * are uploaded and checkpointed; for Iceberg's, until the table's current snapshot holds them (its tasks commit the
 * source offsets earlier, together with the announcement of the files, so the offsets would stop the clock before
 * the coordinator's commit). Both sinks are tuned to hand over as soon as they can (idle rotation and commit
 * interval one second), so the times include about a second of waiting each, plus the connector's start, which the
 * baseline does not have.
 *
 * <p>Run: {@code ./mvnw -q -pl bench exec:exec -Dexec.mainClass=dev.sluice.bench.LakeSinkBench
 * -Dbench.records=300000} after {@code ./mvnw -pl bench -am install -DskipTests}.
 */
public final class LakeSinkBench {

    private static final Instant HOUR = Instant.parse("2026-03-07T10:00:00Z");
    private static final String[] REGIONS = {"EU", "US", "APAC"};
    private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "DELIVERED", "RETURNED"};
    private static final int REPETITIONS = 3;
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("dev.sluice.bench").fields()
            .requiredLong("id")
            .requiredString("customer")
            .requiredString("region")
            .requiredDouble("amount")
            .requiredString("status")
            .optionalString("note")
            .endRecord();

    private final EmbeddedPlatform platform;
    private final Path work;
    private final Path secrets;
    private final ConnectRestClient rest;
    private final JdbcCatalog catalog;
    private final String topic = "silver.bench_orders";
    private int run;

    private LakeSinkBench(EmbeddedPlatform platform, Path work) throws IOException {
        this.platform = platform;
        this.work = work;
        this.rest = new ConnectRestClient(platform.connect().restUrl());
        this.secrets = work.resolve("secrets.properties");
        Properties values = new Properties();
        values.setProperty("s3.access.key", platform.s3().accessKey());
        values.setProperty("s3.secret.key", platform.s3().secretKey());
        values.setProperty("postgres.iceberg.password", platform.postgres().icebergLogin().password());
        try (OutputStream out = Files.newOutputStream(secrets)) {
            values.store(out, "LakeSinkBench");
        }
        PostgresServer postgres = platform.postgres();
        S3Server s3 = platform.s3();
        this.catalog = new IcebergCatalogSettings("sluice", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB),
                postgres.icebergLogin().user(), postgres.icebergLogin().password(),
                "s3://" + S3Server.LAKE_BUCKET + "/iceberg", s3.endpoint(), s3.region(), s3.accessKey(),
                s3.secretKey()).open();
        catalog.createNamespace(Namespace.of("silver"));
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 300_000);
        Path work = Files.createTempDirectory("sluice-lake-bench-");
        try (EmbeddedPlatform platform = new EmbeddedPlatform(work.resolve("platform"))) {
            LakeSinkBench bench = new LakeSinkBench(platform, work);
            try {
                bench.run(records);
            } finally {
                bench.catalog.close();
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private void run(int count) throws Exception {
        KafkaBroker kafka = platform.kafka();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        System.out.printf(Locale.ROOT, "producing %,d orders%n", count);
        produce(count);

        // Warm up the three paths (JIT, connector classes, the Iceberg table's creation).
        baseline(count);
        parquetSink(count);
        icebergSink(count);

        List<Result> baseline = new ArrayList<>();
        List<Result> parquet = new ArrayList<>();
        List<Result> iceberg = new ArrayList<>();
        for (int i = 0; i < REPETITIONS; i++) {
            baseline.add(baseline(count));
            parquet.add(parquetSink(count));
            iceberg.add(icebergSink(count));
        }
        Result base = median(baseline);
        Result sluice = median(parquet);
        Result ice = median(iceberg);
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d records over 3 hours, snappy, medians of %d runs%n", count, REPETITIONS);
        System.out.printf(Locale.ROOT, "%-58s %14s %10s%n", "", "records/s", "seconds");
        print("baseline: consumer + parquet-avro to a local file", base);
        print("Sluice S3 Parquet sink in Connect, to S3", sluice);
        print("Iceberg sink in Connect, to S3 + JDBC catalog", ice);
        System.out.printf(Locale.ROOT, "ratios (records/s): parquet sink/baseline %.2f, iceberg sink/baseline %.2f,"
                + " iceberg sink/parquet sink %.2f%n", sluice.recordsPerSecond() / base.recordsPerSecond(),
                ice.recordsPerSecond() / base.recordsPerSecond(), ice.recordsPerSecond() / sluice.recordsPerSecond());
    }

    private static void print(String label, Result r) {
        System.out.printf(Locale.ROOT, "%-58s %,14.0f %10.2f%n", label, r.recordsPerSecond(), r.nanos() / 1e9);
    }

    private record Result(long records, long nanos) {
        double recordsPerSecond() {
            return records * 1e9 / nanos;
        }
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(Result::nanos));
        return sorted.get(sorted.size() / 2);
    }

    // ------------------------------------------------------------------ the three contenders

    private Result baseline(int count) throws IOException {
        Path file = work.resolve("baseline-" + (++run) + ".parquet");
        Properties props = platform.kafka().clientProperties();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long start = System.nanoTime();
        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
                ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                                new LocalOutputFile(file))
                        .withSchema(ORDER)
                        .withDataModel(GenericData.get())
                        .withConf(new Configuration(false))
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .build()) {
            deserializer.configure(registryConfig(), false);
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            long read = 0;
            while (read < count) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    writer.write(deserializer.deserialize(topic, record.value()));
                    read++;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        Files.delete(file);
        return new Result(count, nanos);
    }

    private Result parquetSink(int count) throws Exception {
        String name = "bench-parquet-" + (++run);
        Map<String, String> config = new ConnectorTemplates().get(ConnectorTemplates.S3_PARQUET_SINK).render(
                Map.ofEntries(
                        Map.entry("topics", topic),
                        Map.entry("topics.dir", "bench-" + run),
                        Map.entry("s3.bucket.name", S3Server.LAKE_BUCKET),
                        Map.entry("s3.endpoint", platform.s3().endpoint().toString()),
                        Map.entry("s3.region", platform.s3().region()),
                        Map.entry("s3.path.style.access", "true"),
                        Map.entry("aws.access.key.id", secret("s3.access.key")),
                        Map.entry("aws.secret.access.key", secret("s3.secret.key")),
                        Map.entry("flush.size", Integer.toString(count)),
                        Map.entry("rotate.idle.ms", "1000"),
                        Map.entry("kafka.bootstrap.servers", platform.kafka().bootstrapServers()),
                        Map.entry("registry.url", platform.registry().registryV2Url())));
        return timed(name, config, count, () -> committedEverything("connect-" + name));
    }

    private Result icebergSink(int count) throws Exception {
        String name = "bench-iceberg-" + (++run);
        // A control topic per connector, so that no coordinator sees another run's commit events.
        String control = "iceberg.control.bench-" + run;
        try (Admin admin = Admin.create(platform.kafka().clientProperties())) {
            admin.createTopics(List.of(new NewTopic(control, 1, (short) 1))).all().get();
        }
        PostgresServer postgres = platform.postgres();
        Map<String, String> config = new ConnectorTemplates().get(ConnectorTemplates.ICEBERG_SINK).render(
                Map.ofEntries(
                        Map.entry("topics", topic),
                        Map.entry("catalog.jdbc.url", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB)),
                        Map.entry("catalog.jdbc.user", postgres.icebergLogin().user()),
                        Map.entry("catalog.jdbc.password", secret("postgres.iceberg.password")),
                        Map.entry("s3.endpoint", platform.s3().endpoint().toString()),
                        Map.entry("s3.region", platform.s3().region()),
                        Map.entry("s3.path.style.access", "true"),
                        Map.entry("aws.access.key.id", secret("s3.access.key")),
                        Map.entry("aws.secret.access.key", secret("s3.secret.key")),
                        Map.entry("commit.interval.ms", "1000"),
                        Map.entry("control.topic", control),
                        Map.entry("kafka.bootstrap.servers", platform.kafka().bootstrapServers()),
                        Map.entry("registry.url", platform.registry().registryV2Url())));
        // Every Iceberg run appends the topic to the same table (the sink names it after the topic).
        long target = icebergRecords() + count;
        return timed(name, config, count, () -> icebergRecords() >= target);
    }

    /** Registers the connector and times it until {@code done}; then removes it. */
    private Result timed(String name, Map<String, String> config, int count, Callable<Boolean> done) {
        long start = System.nanoTime();
        rest.putConfig(name, config);
        Await.until(name + " wrote every record", DEADLINE, done);
        long nanos = System.nanoTime() - start;
        rest.delete(name);
        return new Result(count, nanos);
    }

    private boolean committedEverything(String group) throws Exception {
        try (Admin admin = Admin.create(platform.kafka().clientProperties())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return committed != null && committed.offset() >= end;
        }
    }

    /** Rows in the current snapshot of the topic's Iceberg table; 0 before the table exists. */
    private long icebergRecords() {
        TableIdentifier id = TableIdentifier.parse(topic);
        if (!catalog.tableExists(id)) {
            return 0;
        }
        Table table = catalog.loadTable(id);
        return table.currentSnapshot() == null ? 0
                : Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }

    // ------------------------------------------------------------------ data

    private void produce(int count) throws Exception {
        Properties props = platform.kafka().clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            serializer.configure(registryConfig(), false);
            long spreadSeconds = 3 * 3600L - 1;
            for (int i = 0; i < count; i++) {
                Random random = new Random(i);
                GenericRecord order = new GenericData.Record(ORDER);
                order.put("id", (long) i);
                order.put("customer", "customer-" + random.nextInt(1_000));
                order.put("region", REGIONS[i % REGIONS.length]);
                order.put("amount", random.nextInt(10_000_000) / 100.0);
                order.put("status", STATUSES[random.nextInt(STATUSES.length)]);
                order.put("note", random.nextInt(4) == 0 ? null : "note " + Long.toString(random.nextLong(), 36));
                long timestamp = HOUR.plusSeconds(i * spreadSeconds / count).toEpochMilli();
                producer.send(new ProducerRecord<>(topic, 0, timestamp, null, serializer.serialize(topic, order)));
            }
            producer.flush();
        }
    }

    private Map<String, Object> registryConfig() {
        return Map.of("apicurio.registry.url", platform.registry().registryV2Url(),
                "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false");
    }

    private String secret(String key) {
        return "${file:" + secrets.toAbsolutePath() + ":" + key + "}";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
