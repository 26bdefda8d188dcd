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
import dev.sluice.lake.iceberg.IcebergCatalogSettings;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import org.apache.iceberg.types.Types;
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
 * and its tasks between two batches, and across a restart while a commit is held halfway (files announced and source
 * offsets committed, snapshot not yet in the catalog); it is partitioned by hour of the record timestamp and the
 * consumer group's committed offsets (committed by the sink in its Kafka transactions) are the topic's end offsets.
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
        catalog = new IcebergCatalogSettings("sluice", postgres.jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB),
                postgres.icebergLogin().user(), postgres.icebergLogin().password(),
                "s3://" + S3Server.LAKE_BUCKET + "/iceberg", s3.endpoint(), s3.region(), s3.accessKey(),
                s3.secretKey()).open();
        // The tables' namespace exists before any sink starts, as ./sluice up creates it: two tasks creating it on
        // their first records at once collide in the JDBC catalog and one fails (seen here under load).
        if (!catalog.namespaceExists(Namespace.of("silver"))) {
            catalog.createNamespace(Namespace.of("silver"));
        }
    }

    @AfterAll
    static void closeCatalog() throws IOException {
        if (catalog != null) {
            catalog.close();
        }
    }

    /**
     * Every record once across a restart. Between the batches come tombstones (null values, as silver's and gold's
     * compacted topics carry deletes) for ids of the first batch: Iceberg's sink (dynamic routing) passes over a
     * record without a value, so they leave no row, delete none, are not dead-lettered, and their offsets are
     * committed like the others'. This pins what Iceberg 1.12 does with them (docs/lake/iceberg.md, "Tombstones").
     */
    @Test
    void tableHoldsEveryRecordOfTheTopicOnceAcrossARestart() throws Exception {
        Sink sink = Sink.registered();
        String topic = sink.topic(), name = sink.name(), suffix = sink.suffix();
        TableIdentifier id = sink.table();
        Map<Long, Expected> expected = new HashMap<>();
        produce(topic, 0, BATCH, expected);
        Await.until("first batch in the table", DEADLINE, () -> rowCount(id) == BATCH);

        rest.restart(name, true, false);
        ConnectAwait.running(rest, name, 2, DEADLINE);
        sendTombstones(topic, 0, 10);
        produce(topic, BATCH, 2 * BATCH, expected);
        Await.until("both batches in the table", DEADLINE, () -> rowCount(id) == 2 * BATCH);
        Await.until("source offsets committed", DEADLINE, () -> committedEverything("connect-" + name, topic));
        assertEquals(0, endOffsetsTotal("dlq.iceberg_it_" + suffix), "no tombstone was dead-lettered");

        Table table = catalog.loadTable(id);
        PartitionField hour = table.spec().fields().get(0);
        assertEquals("hour", hour.transform().toString(), table.spec().toString());
        assertEquals(table.schema().findField("__kafka_timestamp").fieldId(), hour.sourceId(), table.spec().toString());
        assertEquals("region", table.spec().fields().get(1).name(), table.spec().toString());
        assertExactly(table, topic, expected);

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

    /**
     * The crash in the middle of a commit: the tasks have written a batch's files and announced them on the control
     * topic, committing the source offsets with the announcement, but the coordinator's catalog update is held (a
     * row lock on the table's catalog row, taken as the catalog's role) when the connector and its tasks are
     * restarted. Once the lock goes, the stuck coordinator and the new one may both try to commit the same files;
     * the table must end up with every record once.
     */
    @Test
    void aCommitCutShortByARestartIsCompletedOnceAndOnlyOnce() throws Exception {
        Sink sink = Sink.registered();
        String topic = sink.topic(), name = sink.name();
        TableIdentifier id = sink.table();
        Map<Long, Expected> expected = new HashMap<>();
        produce(topic, 0, BATCH, expected);
        Await.until("first batch in the table", DEADLINE, () -> rowCount(id) == BATCH);

        try (Connection lock = postgres.connect(PostgresServer.ICEBERG_CATALOG_DB, postgres.icebergLogin())) {
            lock.setAutoCommit(false);
            try (PreparedStatement row = lock.prepareStatement("SELECT metadata_location FROM iceberg_tables "
                    + "WHERE catalog_name = 'sluice' AND table_namespace = ? AND table_name = ? FOR UPDATE")) {
                row.setString(1, "silver");
                row.setString(2, id.name());
                try (ResultSet locked = row.executeQuery()) {
                    assertTrue(locked.next(), "the table's catalog row");
                }
            }
            produce(topic, BATCH, 2 * BATCH, expected);
            // The tasks hand over their files together with the source offsets, in one transaction each: offsets
            // beyond the first batch mean records that are only in files the blocked commit would publish. (Not
            // necessarily all of the batch: the rest waits for a commit cycle, which the blocked one holds up.)
            Await.until("part of the second batch announced", DEADLINE,
                    () -> committedTotal("connect-" + name, topic) > BATCH);
            assertEquals(BATCH, rowCount(id), "nothing of the second batch is committed while the row is locked");

            rest.restart(name, true, false);
            ConnectAwait.running(rest, name, 2, DEADLINE);
            lock.rollback();
        }
        // A third batch after the release: the new coordinator commits it only after it has dealt with the second
        // batch's announcements, so a late duplicate of those would be in the table by then.
        produce(topic, 2 * BATCH, 2 * BATCH + 30, expected);
        Await.until("all three batches in the table", DEADLINE, () -> rowCount(id) >= 2 * BATCH + 30);
        Await.until("source offsets committed", DEADLINE, () -> committedEverything("connect-" + name, topic));
        assertExactly(catalog.loadTable(id), topic, expected);
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    /**
     * Issue 18, item 3: the table follows the schema the records carry. A new optional field (a compatible change in
     * the registry) becomes a new optional column of the same table, null in the rows written before; a field whose
     * type changes incompatibly (double to a non-numeric string) fails the task with the record and value named in
     * its trace, and the table keeps its rows and its schema — nothing of the bad batch is committed.
     */
    @Test
    void anAddedOptionalFieldBecomesAColumnAndAnIncompatibleChangeFailsTheTask() throws Exception {
        Sink sink = Sink.registered();
        String topic = sink.topic(), name = sink.name();
        TableIdentifier id = sink.table();
        Map<Long, Expected> expected = new HashMap<>();
        produce(topic, 0, 50, expected);
        Await.until("first batch in the table", DEADLINE, () -> rowCount(id) == 50);
        UUID tableUuid = catalog.loadTable(id).uuid();

        Schema withChannel = SchemaBuilder.record("Order").namespace("dev.sluice.it").fields()
                .requiredLong("id").requiredString("region").requiredDouble("amount").optionalString("note")
                .optionalString("channel").endRecord();
        Map<Long, String> channels = new HashMap<>();
        List<Timed> batch = new ArrayList<>();
        for (long key = 50; key < 70; key++) {
            GenericData.Record order = new GenericData.Record(withChannel);
            order.put("id", key);
            order.put("region", "EU");
            order.put("amount", key * 1.25);
            order.put("note", "note-" + key);
            order.put("channel", "web-" + key);
            Instant timestamp = TEN.plusSeconds(key * 60);
            batch.add(new Timed(timestamp, order));
            expected.put(key, new Expected("EU", key * 1.25, "note-" + key, timestamp));
            channels.put(key, "web-" + key);
        }
        send(topic, batch);
        Await.until("the batch with the new field in the table", DEADLINE, () -> rowCount(id) == 70);
        Table table = catalog.loadTable(id);
        assertEquals(tableUuid, table.uuid(), "the same table, not a new one");
        assertTrue(table.schema().findField("channel").isOptional(), table.schema().toString());
        assertExactly(table, topic, expected);
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                assertEquals(channels.get((Long) row.getField("id")), row.getField("channel"),
                        "channel of " + row.getField("id") + " (null before the field existed)");
            }
        }

        Schema amountAsText = SchemaBuilder.record("Order").namespace("dev.sluice.it").fields()
                .requiredLong("id").requiredString("region").requiredString("amount").optionalString("note")
                .endRecord();
        List<Timed> incompatible = new ArrayList<>();
        for (long key = 70; key < 75; key++) {
            GenericData.Record order = new GenericData.Record(amountAsText);
            order.put("id", key);
            order.put("region", "EU");
            // Not a number: Iceberg's sink parses numeric strings into a double column (checked: "12.50" was
            // written as 12.5 without a word), so only a value it cannot parse shows the change.
            order.put("amount", "twelve fifty");
            order.put("note", null);
            incompatible.add(new Timed(TEN.plusSeconds(key * 60), order));
        }
        send(topic, incompatible);
        Await.until("a task failed on the incompatible change", DEADLINE, () -> failedTrace(name) != null);
        String trace = failedTrace(name);
        // Iceberg's converter names the record and the value, not the field.
        assertTrue(trace.contains("An error occurred converting record, topic: " + topic)
                && trace.contains("twelve fifty"), "the failure names the record and its value:\n" + trace);
        table = catalog.loadTable(id);
        assertEquals(Types.DoubleType.get(), table.schema().findField("amount").type());
        assertExactly(table, topic, expected);
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    /** The trace of the first FAILED task of {@code connector}, or null while none has failed. */
    private static String failedTrace(String connector) {
        for (var task : rest.status(connector).path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return task.path("trace").asText();
            }
        }
        return null;
    }

    /** Each expected record is in the table once, with the same content, topic and timestamp, and nothing else. */
    private static void assertExactly(Table table, String topic, Map<Long, Expected> expected) throws IOException {
        Set<Long> seen = new HashSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                long key = (Long) row.getField("id");
                assertTrue(seen.add(key), "duplicate id " + key);
                Expected want = expected.get(key);
                assertTrue(want != null, "a row no record was produced for: id " + key);
                assertEquals(want.region(), row.getField("region"), "region of " + key);
                assertEquals(want.amount(), (Double) row.getField("amount"), 0.0, "amount of " + key);
                assertEquals(want.note(), row.getField("note"), "note of " + key);
                assertEquals(topic, row.getField("__kafka_topic"), "topic of " + key);
                assertEquals(want.timestamp(), ((OffsetDateTime) row.getField("__kafka_timestamp")).toInstant(),
                        "timestamp of " + key);
            }
        }
        assertEquals(expected.keySet(), seen);
    }

    private static void produce(String topic, long from, long to, Map<Long, Expected> expected) throws Exception {
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

    /** An Avro record with an {@code id} field and the Kafka timestamp it is produced with. */
    private record Timed(Instant timestamp, GenericData.Record value) {
    }

    /** Produces each record, keyed {@code order-<id>}, to partition {@code id % 2}, registering its schema. */
    private static void send(String topic, List<Timed> records) throws Exception {
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

    /** Tombstones (null values) keyed {@code order-<id>} for ids {@code from} to {@code to - 1}, as send keys them. */
    private static void sendTombstones(String topic, long from, long to) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (long id = from; id < to; id++) {
                producer.send(new ProducerRecord<>(topic, (int) (id % 2), "order-" + id, null)).get();
            }
        }
    }

    /** Records ever written to {@code topic} (the sum of its end offsets); 0 when it does not exist. */
    private static long endOffsetsTotal(String topic) throws Exception {
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

    /** The sum of {@code group}'s committed offsets on the two partitions of {@code topic}. */
    private static long committedTotal(String group, String topic) throws Exception {
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

    /** A fresh topic (two partitions) and control topic, and the sink writing the one into table silver.<topic>. */
    private record Sink(String suffix) {

        static Sink registered() throws Exception {
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
                            Map.entry("dlq.topic", "dlq.iceberg_it_" + sink.suffix()),
                            Map.entry("registry.url", registry.registryV2Url()))));
            ConnectAwait.running(rest, sink.name(), 2, DEADLINE);
            return sink;
        }

        String topic() {
            return "silver.iceberg_it_" + suffix;
        }

        String control() {
            return "iceberg.control." + suffix;
        }

        String name() {
            return "iceberg-it-" + suffix;
        }

        TableIdentifier table() {
            return TableIdentifier.of(Namespace.of("silver"), "iceberg_it_" + suffix);
        }
    }
}
