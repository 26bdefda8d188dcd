package dev.sluice.connect.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Iceberg's sink, registered from the {@code iceberg-sink} template in the real Connect worker, writes an Avro
 * topic (two partitions, through the registry's converter) into an Iceberg table of the JDBC catalog on the embedded
 * PostgreSQL, with its files on the embedded S3 server through S3FileIO. Read back with Iceberg's generic reader, the
 * table holds every record of the topic exactly once with the same content, also across a restart of the connector
 * and its tasks between two batches; it is partitioned by hour of the record timestamp and the consumer group's
 * committed offsets (committed by the sink in its Kafka transactions) are the topic's end offsets.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class IcebergSinkIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");
    private static final String[] REGIONS = {"EU", "US", "APAC"};
    private static final int BATCH = 150;
    private static final Schema ORDER = SchemaBuilder.record("Order").namespace("dev.sluice.it").fields()
            .requiredLong("id")
            .requiredString("region")
            .requiredDouble("amount")
            .optionalString("note")
            .endRecord();

    @TempDir
    static Path temp;

    private static KafkaBroker kafka;
    private static ConnectRestClient rest;
    private static S3Server s3;
    private static PostgresServer postgres;
    private static RegistryServer registry;
    private static JdbcCatalog catalog;
    private static Path secrets;

    @BeforeAll
    static void servers(KafkaBroker broker, ConnectWorker worker, S3Server server, PostgresServer pg,
            RegistryServer schemaRegistry) throws IOException {
        kafka = broker;
        rest = new ConnectRestClient(worker.restUrl());
        s3 = server;
        postgres = pg;
        registry = schemaRegistry;
        secrets = temp.resolve("secrets.properties");
        Properties props = new Properties();
        props.setProperty("postgres.iceberg.password", postgres.icebergLogin().password());
        props.setProperty("s3.access.key", s3.accessKey());
        props.setProperty("s3.secret.key", s3.secretKey());
        try (OutputStream out = Files.newOutputStream(secrets)) {
            props.store(out, "IcebergSinkIT");
        }
        catalog = new JdbcCatalog();
        catalog.initialize("sluice", Map.ofEntries(
                Map.entry("uri", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB)),
                Map.entry("jdbc.user", postgres.icebergLogin().user()),
                Map.entry("jdbc.password", postgres.icebergLogin().password()),
                Map.entry("jdbc.schema-version", "V1"),
                Map.entry("warehouse", "s3://" + S3Server.LAKE_BUCKET + "/iceberg"),
                Map.entry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO"),
                Map.entry("s3.client-factory-impl", "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory"),
                Map.entry("http-client.type", "urlconnection"),
                Map.entry("client.region", s3.region()),
                Map.entry("s3.endpoint", s3.endpoint().toString()),
                Map.entry("s3.path-style-access", "true"),
                Map.entry("s3.access-key-id", s3.accessKey()),
                Map.entry("s3.secret-access-key", s3.secretKey())));
    }

    @AfterAll
    static void closeCatalog() throws IOException {
        if (catalog != null) {
            catalog.close();
        }
    }

    @Test
    void tableHoldsEveryRecordOfTheTopicOnceAcrossARestart() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "silver.iceberg_it_" + suffix;
        String control = "iceberg.control." + suffix;
        String name = "iceberg-it-" + suffix;
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(control, 1, (short) 1)))
                    .all().get();
        }
        rest.putConfig(name, new ConnectorTemplates().get(ConnectorTemplates.ICEBERG_SINK).render(Map.ofEntries(
                Map.entry("topics", topic),
                Map.entry("catalog.jdbc.url", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB)),
                Map.entry("catalog.jdbc.user", postgres.icebergLogin().user()),
                Map.entry("catalog.jdbc.password", secret("postgres.iceberg.password")),
                Map.entry("s3.endpoint", s3.endpoint().toString()),
                Map.entry("s3.region", s3.region()),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("aws.access.key.id", secret("s3.access.key")),
                Map.entry("aws.secret.access.key", secret("s3.secret.key")),
                Map.entry("partition.by", "hours(__kafka_timestamp),region"),
                Map.entry("commit.interval.ms", "1000"),
                Map.entry("control.topic", control),
                Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                Map.entry("tasks.max", "2"),
                Map.entry("dlq.topic", "dlq.iceberg_it_" + suffix),
                Map.entry("registry.url", registry.registryV2Url()))));
        ConnectAwait.running(rest, name, 2, DEADLINE);

        TableIdentifier id = TableIdentifier.of(Namespace.of("silver"), "iceberg_it_" + suffix);
        Map<Long, Expected> expected = new HashMap<>();
        produce(topic, 0, BATCH, expected);
        Await.until("first batch in the table", DEADLINE, () -> rowCount(id) == BATCH);

        rest.restart(name, true, false);
        ConnectAwait.running(rest, name, 2, DEADLINE);
        produce(topic, BATCH, 2 * BATCH, expected);
        Await.until("both batches in the table", DEADLINE, () -> rowCount(id) == 2 * BATCH);
        Await.until("source offsets committed", DEADLINE, () -> committedEverything("connect-" + name, topic));

        Table table = catalog.loadTable(id);
        PartitionField hour = table.spec().fields().get(0);
        assertEquals("hour", hour.transform().toString(), table.spec().toString());
        assertEquals(table.schema().findField("__kafka_timestamp").fieldId(), hour.sourceId(), table.spec().toString());
        assertEquals("region", table.spec().fields().get(1).name(), table.spec().toString());
        Set<Long> seen = new HashSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                long key = (Long) row.getField("id");
                assertTrue(seen.add(key), "duplicate id " + key);
                Expected want = expected.get(key);
                assertEquals(want.region(), row.getField("region"), "region of " + key);
                assertEquals(want.amount(), (Double) row.getField("amount"), 0.0, "amount of " + key);
                assertEquals(want.note(), row.getField("note"), "note of " + key);
                assertEquals(topic, row.getField("__kafka_topic"), "topic of " + key);
                assertEquals(want.timestamp(), ((OffsetDateTime) row.getField("__kafka_timestamp")).toInstant(),
                        "timestamp of " + key);
            }
        }
        assertEquals(expected.keySet(), seen);

        // Three hours by three regions: each data file lies in one of the nine partitions, and all nine are there.
        Set<String> partitions = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                partitions.add(file.partition().toString());
                assertTrue(file.location().startsWith("s3://" + S3Server.LAKE_BUCKET + "/iceberg/silver/iceberg_it_"
                        + suffix + "/data/"), file.location());
            }
        }
        assertEquals(9, partitions.size(), partitions.toString());
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    private static void produce(String topic, long from, long to, Map<Long, Expected> expected) throws Exception {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                        new ByteArraySerializer())) {
            serializer.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                    "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                    "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), false);
            for (long id = from; id < to; id++) {
                String region = REGIONS[(int) (id % REGIONS.length)];
                double amount = id * 1.25;
                String note = id % 4 == 0 ? null : "note-" + id;
                // Spread over three hours, 10:00 to 12:59 UTC, in no particular order.
                Instant timestamp = TEN.plusSeconds((id * 7919) % (3 * 3600));
                GenericData.Record order = new GenericData.Record(ORDER);
                order.put("id", id);
                order.put("region", region);
                order.put("amount", amount);
                order.put("note", note);
                producer.send(new ProducerRecord<>(topic, (int) (id % 2), timestamp.toEpochMilli(), "order-" + id,
                        serializer.serialize(topic, order))).get();
                expected.put(id, new Expected(region, amount, note, timestamp));
            }
        }
    }

    private static long rowCount(TableIdentifier id) throws IOException {
        if (!catalog.tableExists(id)) {
            return -1;
        }
        long rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            for (Record ignored : records) {
                rows++;
            }
        }
        return rows;
    }

    private static boolean committedEverything(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                    new TopicPartition(topic, 1), OffsetSpec.latest());
            var ends = admin.listOffsets(latest).all().get();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            for (TopicPartition partition : latest.keySet()) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null || offset.offset() != ends.get(partition).offset()) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String secret(String key) {
        return "${file:" + secrets.toAbsolutePath() + ":" + key + "}";
    }

    private record Expected(String region, double amount, String note, Instant timestamp) {
    }
}
