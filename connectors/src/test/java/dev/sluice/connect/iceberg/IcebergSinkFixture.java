package dev.sluice.connect.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.iceberg.IcebergCatalogSettings;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the Iceberg sink's ITs share: the embedded servers, the JDBC catalog on PostgreSQL with its files on S3, the
 * secrets file the workers' config providers read, the sink registered from its template, the order records they
 * produce, and the reads that check the table and the consumer group against them.
 */
final class IcebergSinkFixture implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");
    static final Schema ORDER = SchemaBuilder.record("Order").namespace("dev.sluice.it").fields()
            .requiredLong("id")
            .requiredString("region")
            .requiredDouble("amount")
            .optionalString("note")
            .endRecord();
    private static final String[] REGIONS = {"EU", "US", "APAC"};

    private final KafkaBroker kafka;
    private final S3Server s3;
    private final PostgresServer postgres;
    private final RegistryServer registry;
    private final Path secrets;
    private final JdbcCatalog catalog;

    private IcebergSinkFixture(KafkaBroker kafka, S3Server s3, PostgresServer postgres, RegistryServer registry,
            Path secrets, JdbcCatalog catalog) {
        this.kafka = kafka;
        this.s3 = s3;
        this.postgres = postgres;
        this.registry = registry;
        this.secrets = secrets;
        this.catalog = catalog;
    }

    /** Writes the secrets file into {@code secretsDir} and opens the catalog, with namespace silver in it. */
    static IcebergSinkFixture open(KafkaBroker kafka, S3Server s3, PostgresServer postgres, RegistryServer registry,
            Path secretsDir) throws IOException {
        Path secrets = secretsDir.resolve("secrets.properties");
        Properties props = new Properties();
        props.setProperty("postgres.iceberg.password", postgres.icebergLogin().password());
        props.setProperty("s3.access.key", s3.accessKey());
        props.setProperty("s3.secret.key", s3.secretKey());
        try (OutputStream out = Files.newOutputStream(secrets)) {
            props.store(out, "Iceberg sink ITs");
        }
        JdbcCatalog catalog = new IcebergCatalogSettings("sluice",
                postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB), postgres.icebergLogin().user(),
                postgres.icebergLogin().password(), "s3://" + S3Server.LAKE_BUCKET + "/iceberg", s3.endpoint(),
                s3.region(), s3.accessKey(), s3.secretKey()).open();
        // The tables' namespace exists before any sink starts, as ./sluice up creates it: two tasks creating it on
        // their first records at once collide in the JDBC catalog and one fails (seen here under load).
        if (!catalog.namespaceExists(Namespace.of("silver"))) {
            catalog.createNamespace(Namespace.of("silver"));
        }
        return new IcebergSinkFixture(kafka, s3, postgres, registry, secrets, catalog);
    }

    JdbcCatalog catalog() {
        return catalog;
    }

    /** A fresh topic (two partitions) and control topic, and the sink writing the one into table silver.<topic>. */
    Sink registerSink(ConnectRestClient rest) throws Exception {
        Sink sink = new Sink(UUID.randomUUID().toString().substring(0, 8));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(sink.topic(), 2, (short) 1),
                    new NewTopic(sink.control(), 1, (short) 1))).all().get();
        }
        rest.putConfig(sink.name(), new ConnectorTemplates().get(ConnectorTemplates.ICEBERG_SINK).render(
                Map.ofEntries(
                        Map.entry("topics", sink.topic()),
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
                        Map.entry("control.topic", sink.control()),
                        Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                        Map.entry("tasks.max", "2"),
                        Map.entry("dlq.topic", sink.deadLetterTopic()),
                        Map.entry("behavior.on.null.values", "delete"),
                        Map.entry("registry.url", registry.registryV2Url()))));
        ConnectAwait.running(rest, sink.name(), 2, DEADLINE);
        awaitStableGroup(sink);
        return sink;
    }

    /**
     * Waits until the sink's consumer group has settled with both tasks assigned. Tasks reported RUNNING may still
     * rebalance as the second one joins, and a rebalance that revokes the leading task's partitions while its
     * coordinator commits interrupts the commit: Iceberg 1.12's coordinator thread then exits and no commit follows
     * until the next rebalance (seen in CI: "Coordinator error during process, exiting thread", the first batch never
     * committed). The tests here are about what is committed, so they start writing on a settled group;
     * docs/lake/iceberg.md lists the limit.
     */
    private void awaitStableGroup(Sink sink) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Await.until("the sink's group settled with its 2 tasks", DEADLINE, () -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(sink.group()))
                        .describedGroups().get(sink.group()).get();
                return group.groupState() == GroupState.STABLE && group.members().size() == 2
                        && group.members().stream().allMatch(member -> !member.assignment().topicPartitions()
                                .isEmpty());
            });
        }
    }

    /**
     * Takes the row lock on {@code table}'s catalog row as the catalog's role, in a transaction left open: the
     * sink's coordinator cannot commit a snapshot to the table until the returned connection rolls back or closes.
     */
    Connection lockCatalogRow(TableIdentifier table) throws SQLException {
        Connection lock = postgres.connect(PostgresServer.ICEBERG_CATALOG_DB, postgres.icebergLogin());
        try {
            lock.setAutoCommit(false);
            try (PreparedStatement row = lock.prepareStatement("SELECT metadata_location FROM iceberg_tables "
                    + "WHERE catalog_name = 'sluice' AND table_namespace = ? AND table_name = ? FOR UPDATE")) {
                row.setString(1, table.namespace().toString());
                row.setString(2, table.name());
                try (ResultSet locked = row.executeQuery()) {
                    assertTrue(locked.next(), "the table's catalog row");
                }
            }
            return lock;
        } catch (SQLException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /** Each expected record is in the table once, with the same content, topic and timestamp, and nothing else. */
    void assertExactly(Table table, String topic, Map<Long, Expected> expected) throws IOException {
        assertExactly(table, topic, expected, Map.of());
    }

    /**
     * Each expected record is in the table once, with the same content, topic, timestamp and key, and
     * {@code __deleted = false}; each tombstone (id to its timestamp, as {@link #sendTombstones} sent them) is one
     * delete-marker row, with its key, {@code __deleted = true} and null value columns; nothing else is, and no
     * Kafka record (partition and offset) is in two rows.
     */
    void assertExactly(Table table, String topic, Map<Long, Expected> expected, Map<Long, Instant> tombstones)
            throws IOException {
        Set<Long> seen = new HashSet<>();
        Set<Long> markers = new HashSet<>();
        Set<String> records = new HashSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                String key = (String) row.getField(KafkaColumns.KEY);
                assertTrue(key != null && key.startsWith("order-"), "the key of a row: " + row);
                long id = Long.parseLong(key.substring("order-".length()));
                String record = row.getField(KafkaColumns.PARTITION) + "/" + row.getField(KafkaColumns.OFFSET);
                assertEquals(id % 2, ((Integer) row.getField(KafkaColumns.PARTITION)).longValue(),
                        "partition of " + key);
                assertTrue(row.getField(KafkaColumns.OFFSET) != null && records.add(record),
                        "Kafka record " + record + " in two rows, or without offset: " + row);
                assertEquals(topic, row.getField("__kafka_topic"), "topic of " + key);
                Instant timestamp = ((OffsetDateTime) row.getField("__kafka_timestamp")).toInstant();
                if (Boolean.TRUE.equals(row.getField(KafkaColumns.DELETED))) {
                    assertTrue(markers.add(id), "a second marker of " + key);
                    assertEquals(tombstones.get(id), timestamp, "timestamp of the marker of " + key);
                    for (String column : List.of("id", "region", "amount", "note")) {
                        assertEquals(null, row.getField(column), column + " of the marker of " + key);
                    }
                    continue;
                }
                assertEquals(false, row.getField(KafkaColumns.DELETED), "__deleted of " + key);
                assertEquals(id, row.getField("id"), "id of the row of " + key);
                assertTrue(seen.add(id), "duplicate id " + id);
                Expected want = expected.get(id);
                assertTrue(want != null, "a row no record was produced for: id " + id);
                assertEquals(want.region(), row.getField("region"), "region of " + id);
                assertEquals(want.amount(), (Double) row.getField("amount"), 0.0, "amount of " + id);
                assertEquals(want.note(), row.getField("note"), "note of " + id);
                assertEquals(want.timestamp(), timestamp, "timestamp of " + id);
            }
        }
        assertEquals(expected.keySet(), seen);
        assertEquals(tombstones.keySet(), markers, "one marker per tombstone");
    }

    /**
     * The ids whose current state is a row, by the rule readers apply (docs/lake/iceberg.md, "Tombstones"): per
     * {@code __kafka_key} the row of the highest offset (a key's records share one partition), unless it is a marker.
     */
    Set<Long> currentIds(Table table) throws IOException {
        Map<String, Record> latest = new HashMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                latest.merge((String) row.getField(KafkaColumns.KEY), row.copy(),
                        (a, b) -> (Long) a.getField(KafkaColumns.OFFSET) > (Long) b.getField(KafkaColumns.OFFSET)
                                ? a : b);
            }
        }
        Set<Long> current = new HashSet<>();
        latest.values().stream().filter(row -> !(Boolean) row.getField(KafkaColumns.DELETED))
                .forEach(row -> current.add((Long) row.getField("id")));
        return current;
    }

    /** Orders with ids {@code from} to {@code to - 1}, spread over three hours and regions, noted in expected. */
    void produce(String topic, long from, long to, Map<Long, Expected> expected) throws Exception {
        List<Timed> orders = new ArrayList<>();
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
            orders.add(new Timed(timestamp, order));
            expected.put(id, new Expected(region, amount, note, timestamp));
        }
        send(topic, orders);
    }

    /** Produces each record, keyed {@code order-<id>}, to partition {@code id % 2}, registering its schema. */
    void send(String topic, List<Timed> records) throws Exception {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                        new ByteArraySerializer())) {
            serializer.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                    "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                    "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), false);
            for (Timed record : records) {
                long id = (Long) record.value().get("id");
                producer.send(new ProducerRecord<>(topic, (int) (id % 2), record.timestamp().toEpochMilli(),
                        "order-" + id, serializer.serialize(topic, record.value()))).get();
            }
        }
    }

    /**
     * Tombstones (null values) keyed {@code order-<id>} for ids {@code from} to {@code to - 1}, as send keys them,
     * timestamped an hour after their order (so in the same three hours); noted in {@code tombstones}.
     */
    void sendTombstones(String topic, long from, long to, Map<Long, Instant> tombstones) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (long id = from; id < to; id++) {
                Instant timestamp = TEN.plusSeconds((id * 7919 + 3600) % (3 * 3600));
                producer.send(new ProducerRecord<String, byte[]>(topic, (int) (id % 2), timestamp.toEpochMilli(),
                        "order-" + id, null)).get();
                tombstones.put(id, timestamp);
            }
        }
    }

    /** Records ever written to {@code topic} (the sum of its end offsets); 0 when it does not exist. */
    long endOffsetsTotal(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().forEach(
                    p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long total = 0;
            for (var end : admin.listOffsets(latest).all().get().values()) {
                total += end.offset();
            }
            return total;
        }
    }

    /** Rows in the table read with Iceberg's generic reader; -1 while the table does not exist. */
    long rowCount(TableIdentifier id) throws IOException {
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

    /** The sum of {@code group}'s committed offsets on the two partitions of {@code topic}. */
    long committedTotal(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long total = 0;
            for (int partition = 0; partition < 2; partition++) {
                OffsetAndMetadata offset = committed.get(new TopicPartition(topic, partition));
                total += offset == null ? 0 : offset.offset();
            }
            return total;
        }
    }

    /** Whether {@code group}'s committed offsets on both partitions of {@code topic} are its end offsets. */
    boolean committedEverything(String group, String topic) throws Exception {
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

    private String secret(String key) {
        return "${file:" + secrets.toAbsolutePath() + ":" + key + "}";
    }

    @Override
    public void close() throws IOException {
        catalog.close();
    }

    /** An Avro record with an {@code id} field and the Kafka timestamp it is produced with. */
    record Timed(Instant timestamp, GenericData.Record value) {
    }

    record Expected(String region, double amount, String note, Instant timestamp) {
    }

    /** A sink's topic (two partitions), control topic, connector, dead-letter topic and table silver.<topic>. */
    record Sink(String suffix) {

        String topic() {
            return "silver.iceberg_it_" + suffix;
        }

        String control() {
            return "iceberg.control." + suffix;
        }

        String name() {
            return "iceberg-it-" + suffix;
        }

        /** The consumer group whose offsets the sink commits in its transactions. */
        String group() {
            return "connect-" + name();
        }

        String deadLetterTopic() {
            return "dlq.iceberg_it_" + suffix;
        }

        TableIdentifier table() {
            return TableIdentifier.of(Namespace.of("silver"), "iceberg_it_" + suffix);
        }
    }
}
