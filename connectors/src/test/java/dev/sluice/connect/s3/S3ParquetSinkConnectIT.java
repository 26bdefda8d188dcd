package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.testing.TcpProxy;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionRunReport;
import dev.sluice.lake.compaction.CompactionSettings;
import dev.sluice.lake.compaction.PartitionResult;
import dev.sluice.lake.compaction.SnapshotSpec;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
/**
 * The connector in a real Connect worker, from a real Kafka topic (JSON with schemas) into a real S3
 * server: every good record in exactly one row, every bad one in the dead letter queue with the
 * reason, also across a restart of the tasks; the secret never shows in the REST API. With
 * {@code behavior.on.null.values=delete}, tombstones are delete-marker rows in the files of their hour, not dead
 * letters.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class S3ParquetSinkConnectIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final Instant TEN = Instant.parse("2026-03-07T10:00:00Z");
    private static final String[] REGIONS = {"EU", "US", "APAC"};

    @TempDir
    static Path temp;

    private static KafkaBroker kafka;
    private static ConnectRestClient rest;
    private static S3Server s3;

    @BeforeAll
    static void servers(KafkaBroker broker, ConnectWorker worker, S3Server server) {
        kafka = broker;
        rest = new ConnectRestClient(worker.restUrl());
        s3 = server;
    }

    @Test
    void writesEveryRecordOnceAndDeadLettersTheRestAcrossATaskRestart() throws Exception {
        SinkNames sink = SinkNames.created("json", 2);
        String suffix = sink.suffix(), topic = sink.topic(), dlq = sink.dlq();
        String name = sink.name(), prefix = sink.prefix();

        Map<String, String> config = sinkConfig(suffix, topic, prefix, dlq);
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        config.put("behavior.on.null.values", "fail");
        config.put("tasks.max", "2");
        rest.putConfig(name, config);
        ConnectAwait.running(rest, name, 2, DEADLINE);

        try (KafkaProducer<String, String> producer = producer()) {
            produce(producer, topic, 0, 300);
            Await.until("some files uploaded", DEADLINE,
                    () -> !new LakeContents(s3.client(), S3Server.LAKE_BUCKET, temp).parquetKeys(prefix + "/").isEmpty());
            rest.restart(name, true, false);
            ConnectAwait.running(rest, name, 2, DEADLINE);
            produce(producer, topic, 300, 600);
        }
        // 600 records with a value, 12 tombstones (every 50th key): with fail (the default) they go to the DLQ.
        Await.until("all offsets committed", DEADLINE, () -> committedEverything(name, topic));

        LakeContents lake = new LakeContents(s3.client(), S3Server.LAKE_BUCKET, temp.resolve("download-" + suffix));
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        Set<Long> ids = new HashSet<>();
        for (GenericRecord row : rows) {
            assertTrue(ids.add((Long) row.get("id")), "duplicate id " + row.get("id"));
        }
        assertEquals(600, rows.size());
        assertEquals(600, ids.size());
        for (String key : lake.parquetKeys(prefix + "/")) {
            assertTrue(key.matches(prefix + "/" + topic.replace(".", "\\.") + "/year=2026/month=03/day=07/hour=1\\d/"
                    + "region=(EU|US|APAC)/.+\\+[01]\\+\\d{20}\\.zstd\\.parquet"), key);
        }

        List<ConsumerRecord<String, String>> deadLetters = readAll(dlq, 12);
        assertEquals(12, deadLetters.size());
        for (ConsumerRecord<String, String> letter : deadLetters) {
            Header message = letter.headers().lastHeader("__connect.errors.exception.message");
            assertTrue(new String(message.value(), StandardCharsets.UTF_8).contains("Null value"));
            assertEquals(null, letter.value(), "the original (null) value is kept");
        }

        String shown = rest.config(name).toString();
        assertFalse(shown.contains(s3.secretKey()), "the secret never appears in the REST API");
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    @Test
    void avroThroughTheRegistryKeepsTypesAndInterleavedVersionsShareFiles(RegistryServer registry) throws Exception {
        SinkNames sink = SinkNames.created("avro", 1);
        String suffix = sink.suffix(), topic = sink.topic(), dlq = sink.dlq();
        String name = sink.name(), prefix = sink.prefix();
        org.apache.avro.Schema v1 = avroOrder(false);
        org.apache.avro.Schema v2 = avroOrder(true);
        Map<String, Object> serde = Map.of("apicurio.registry.url", registry.registryV2Url(),
                "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false");
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                     new ByteArraySerializer())) {
            serializer.configure(serde, false);
            for (long id = 0; id < 300; id++) {
                GenericData.Record order = avroOrderRecord(id % 2 == 0 ? v1 : v2, id);
                producer.send(new ProducerRecord<>(topic, "order-" + id, serializer.serialize(topic, order))).get();
            }
        }

        Map<String, String> config = sinkConfig(suffix, topic, prefix, dlq);
        config.put("tasks.max", "1");
        config.put("flush.size", "100000");
        config.put("value.converter", "io.apicurio.registry.utils.converter.AvroConverter");
        config.put("value.converter.apicurio.registry.url", registry.registryV2Url());
        config.put("value.converter.apicurio.registry.as-confluent", "true");
        config.put("value.converter.apicurio.registry.use-id", "contentId");
        config.put("value.converter.apicurio.registry.headers.enabled", "false");
        rest.putConfig(name, config);
        ConnectAwait.running(rest, name, 1, DEADLINE);
        Await.until("all offsets committed", DEADLINE, () -> committedEverything(name, topic, 1));

        LakeContents lake = new LakeContents(s3.client(), S3Server.LAKE_BUCKET, temp.resolve("download-" + suffix));
        List<String> keys = lake.parquetKeys(prefix + "/");
        // Per region the first record is v1 (EU, APAC: one roll at their first v2) or v2 (US: no roll).
        assertEquals(5, keys.size(), "not one file per version switch: " + keys);
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        assertEquals(300, rows.size());
        assertEquals(300, rows.stream().map(r -> r.get("id")).distinct().count());
        for (GenericRecord row : rows) {
            long id = (Long) row.get("id");
            ByteBuffer amount = (ByteBuffer) row.get("amount");
            byte[] unscaled = new byte[amount.remaining()];
            amount.duplicate().get(unscaled);
            assertEquals(BigDecimal.valueOf(id * 1001 + 7, 2), new BigDecimal(new BigInteger(unscaled), 2));
            assertEquals(TEN.plusSeconds(id).toEpochMilli(), row.get("created_at"));
            assertEquals("sku-" + id, ((GenericRecord) ((List<?>) row.get("items")).get(0)).get("sku").toString());
            Object coupon = row.getSchema().getField("coupon") == null ? null : row.get("coupon");
            assertEquals(id % 2 == 0 ? null : "SAVE" + id, coupon == null ? null : coupon.toString());
        }
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    @Test
    void tombstonesBecomeDeleteMarkersInTheOpenFilesNotDeadLetters(RegistryServer registry) throws Exception {
        // As the gold sink is deployed: keys as bytes, values decoded in the task, hours from the Kafka timestamp,
        // behavior.on.null.values=delete. The same sessions go to a second topic without tombstones, to count files.
        SinkNames marked = SinkNames.created("markers", 1);
        SinkNames plain = SinkNames.created("plain", 1);
        org.apache.avro.Schema session = SchemaBuilder.record("UserSession").namespace("dev.sluice.test").fields()
                .requiredString("user_id").requiredLong("events").endRecord();
        List<String> tombstoneKeys = new ArrayList<>();
        Set<String> sessionKeys = new HashSet<>();
        int sessions = 0;
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            serializer.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                    "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                    "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), false);
            for (int hour = 10; hour <= 12; hour++) {
                long start = TEN.plusSeconds((hour - 10) * 3600L).toEpochMilli();
                if (hour == 12) {
                    // The hour starts with a tombstone: no file of the path is open yet.
                    String key = sessionKey(11, 0);
                    producer.send(new ProducerRecord<>(marked.topic(), 0, start, utf8(key), (byte[]) null)).get();
                    tombstoneKeys.add(key);
                }
                for (int i = 0; i < 40; i++) {
                    String key = sessionKey(hour, i);
                    GenericData.Record value = new GenericData.Record(session);
                    value.put("user_id", key.substring(0, key.indexOf('@')));
                    value.put("events", (long) i);
                    byte[] bytes = serializer.serialize(marked.topic(), value);
                    long timestamp = start + 1000L * (i + 1);
                    for (String topic : List.of(marked.topic(), plain.topic())) {
                        producer.send(new ProducerRecord<>(topic, 0, timestamp, utf8(key), bytes)).get();
                    }
                    sessions++;
                    sessionKeys.add(key);
                    if (i % 10 == 9) {
                        // The session was merged into a longer one: gold.user_sessions retracts its key.
                        producer.send(new ProducerRecord<>(marked.topic(), 0, timestamp, utf8(key), (byte[]) null))
                                .get();
                        tombstoneKeys.add(key);
                    }
                }
            }
        }

        for (SinkNames sink : List.of(marked, plain)) {
            Map<String, String> config = sinkConfig(sink.suffix(), sink.topic(), sink.prefix(), sink.dlq());
            config.remove("partition.fields");
            config.put("partition.timestamp.field", "");
            config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            config.put("value.registry.url", registry.registryV2Url());
            config.put("behavior.on.null.values", "delete");
            config.put("flush.size", "100000");
            config.put("rotate.idle.ms", "3000");
            config.put("tasks.max", "1");
            rest.putConfig(sink.name(), config);
        }
        for (SinkNames sink : List.of(marked, plain)) {
            ConnectAwait.running(rest, sink.name(), 1, DEADLINE);
            Await.until("all offsets of " + sink.topic() + " committed", DEADLINE,
                    () -> committedEverything(sink.name(), sink.topic(), 1));
        }

        LakeContents lake = new LakeContents(s3.client(), S3Server.LAKE_BUCKET, temp.resolve("download-markers"));
        List<GenericRecord> rows = lake.allRows(marked.prefix() + "/");
        List<GenericRecord> data = rows.stream().filter(r -> !(Boolean) r.get(KafkaColumns.DELETED)).toList();
        List<GenericRecord> markers = rows.stream().filter(r -> (Boolean) r.get(KafkaColumns.DELETED)).toList();
        assertEquals(sessions, data.size(), "every session once");
        for (GenericRecord row : data) {
            String key = row.get(KafkaColumns.KEY).toString();
            assertEquals(key.substring(0, key.indexOf('@')), row.get("user_id").toString(), "a row keeps its key");
        }
        assertEquals(sessions, data.stream().map(r -> r.get(KafkaColumns.KEY).toString()).distinct().count());
        assertEquals(tombstoneKeys.stream().sorted().toList(),
                markers.stream().map(r -> r.get(KafkaColumns.KEY).toString()).sorted().toList(),
                "one delete marker per tombstone, with its key");
        for (GenericRecord marker : markers) {
            // A marker in a session file has null value columns; one in a marker-only file has none.
            assertEquals(null, valueOrNull(marker, "user_id"));
            assertEquals(null, valueOrNull(marker, "events"));
            assertTrue(marker.get(KafkaColumns.OFFSET) != null && marker.get(KafkaColumns.TIMESTAMP) != null);
        }
        assertEquals(0, endOffset(marked.dlq()), "no tombstone in the dead letter queue");
        assertEquals(0, endOffset(plain.dlq()));

        // Tombstones between sessions went into the hour's open file; the one that opens hour 12 gets a file of the
        // sink's columns only, which the hour's first session rolls.
        assertEquals(Map.of("10", 1L, "11", 1L, "12", 1L), filesPerHour(lake, plain.prefix()));
        assertEquals(Map.of("10", 1L, "11", 1L, "12", 2L), filesPerHour(lake, marked.prefix()));

        // The current state as docs/connectors/s3-parquet-sink.md reads it: the latest row per key, unless a delete.
        Path local = lake.downloadAll(marked.prefix() + "/");
        Set<String> live = new HashSet<>(sessionKeys);
        live.removeAll(tombstoneKeys);
        Set<String> current = new HashSet<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT __kafka_key FROM (SELECT * FROM read_parquet('" + local
                     + "/**/*.parquet', hive_partitioning = true, union_by_name = true) QUALIFY row_number() OVER "
                     + "(PARTITION BY __kafka_key ORDER BY __kafka_offset DESC) = 1 AND NOT __deleted)")) {
            while (rs.next()) {
                current.add(rs.getString(1));
            }
        }
        assertEquals(sessions - tombstoneKeys.size(), live.size(), "every tombstone retracts a session");
        assertEquals(live, current, "the sessions not retracted, each once");

        // Compaction takes these files as they are: snapshot by __kafka_key, each hour merged into one file.
        CompactionRunReport report = new CompactionEngine(s3.client(), CompactionSettings
                .builder(S3Server.LAKE_BUCKET).prefixes(List.of(marked.prefix())).lookback(Duration.ofDays(3650))
                .snapshots(Map.of(marked.topic(), SnapshotSpec.of(List.of(KafkaColumns.KEY)))).build()).run();
        assertTrue(report.succeeded(), report.toString());
        assertEquals(3, report.count(PartitionResult.Outcome.COMPACTED), report.toString());
        for (PartitionResult hour : report.partitions()) {
            assertEquals(1, hour.outputFiles(), "the marker file merges with the session file: " + hour);
            assertEquals(36, hour.rowsOut(), "40 sessions minus the 4 retracted in the hour: " + hour);
        }
        for (SinkNames sink : List.of(marked, plain)) {
            ConnectAwait.deleteAndAwaitGone(rest, sink.name(), DEADLINE);
        }
    }

    /** The key of session {@code i} of {@code hour}, as gold.user_sessions keys them: user id, '@', start. */
    private static String sessionKey(int hour, int i) {
        return "usér-" + hour + "-" + i + "@" + TEN.plusSeconds((hour - 10) * 3600L + i);
    }

    private static Object valueOrNull(GenericRecord row, String field) {
        return row.getSchema().getField(field) == null ? null : row.get(field);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sink files per hour directory under {@code prefix}. */
    private static Map<String, Long> filesPerHour(LakeContents lake, String prefix) {
        Map<String, Long> files = new HashMap<>();
        for (String key : lake.parquetKeys(prefix + "/")) {
            Matcher hour = Pattern.compile("/hour=(\\d\\d)/").matcher(key);
            assertTrue(hour.find(), key);
            files.merge(hour.group(1), 1L, Long::sum);
        }
        return files;
    }

    /** Order {@code id} of {@code schema} (v1 or v2 of {@link #avroOrder}); v2 has a coupon. */
    private static GenericData.Record avroOrderRecord(org.apache.avro.Schema schema, long id) {
        GenericData.Record order = new GenericData.Record(schema);
        order.put("id", id);
        order.put("region", REGIONS[(int) (id % 3)]);
        order.put("amount", ByteBuffer.wrap(BigInteger.valueOf(id * 1001 + 7).toByteArray()));
        order.put("created_at", TEN.plusSeconds(id).toEpochMilli());
        GenericData.Record item = new GenericData.Record(schema.getField("items").schema().getElementType());
        item.put("sku", "sku-" + id);
        order.put("items", List.of(item));
        if (schema.getField("coupon") != null) {
            order.put("coupon", "SAVE" + id);
        }
        return order;
    }

    private static org.apache.avro.Schema avroOrder(boolean withCoupon) {
        org.apache.avro.Schema decimal = LogicalTypes.decimal(12, 2)
                .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
        org.apache.avro.Schema timestamp = LogicalTypes.timestampMillis()
                .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
        var fields = SchemaBuilder.record("Order").namespace("dev.sluice.test").fields()
                .requiredLong("id")
                .optionalString("region")
                .name("amount").type(decimal).noDefault()
                .name("created_at").type(timestamp).noDefault()
                .name("items").type().array().items(SchemaBuilder.record("Item").fields()
                        .requiredString("sku").endRecord()).noDefault();
        if (withCoupon) {
            fields = fields.optionalString("coupon");
        }
        return fields.endRecord();
    }

    @Test
    void valuesDecodedInTheTaskAreDeadLetteredOnceAcrossRestartsAndARegistryOutageLosesNothing(
            RegistryServer registry) throws Exception {
        SinkNames sink = SinkNames.created("decode", 1);
        String suffix = sink.suffix(), topic = sink.topic(), dlq = sink.dlq();
        String name = sink.name(), prefix = sink.prefix();
        URI registryUrl = URI.create(registry.registryV2Url());
        try (TcpProxy proxy = new TcpProxy(registryUrl.getPort());
             AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                     new StringSerializer(), new ByteArraySerializer())) {
            serializer.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                    "apicurio.registry.auto-register", "true", "apicurio.registry.as-confluent", "true",
                    "apicurio.registry.use-id", "contentId", "apicurio.registry.headers.enabled", "false"), false);
            // 60 good orders (schema v1), every 12th followed by a value that is not registry-framed Avro.
            int bad = 0;
            for (long id = 0; id < 60; id++) {
                producer.send(new ProducerRecord<>(topic, "order-" + id, serializer.serialize(topic,
                        avroOrderRecord(avroOrder(false), id)))).get();
                if (id % 12 == 11) {
                    producer.send(new ProducerRecord<>(topic, "bad-" + id,
                            "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
                    bad++;
                }
            }
            int read = 60 + bad;

            // Nothing rotates until the end: every restart reads the bad values again from the start.
            Map<String, String> config = sinkConfig(suffix, topic, prefix, dlq);
            config.put("tasks.max", "1");
            config.put("flush.size", "1000000");
            config.put("rotate.idle.ms", "-1");
            config.put("rotate.interval.ms", "-1");
            config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            config.put("value.registry.url", "http://127.0.0.1:" + proxy.port() + registryUrl.getPath());
            for (int start = 0; start < 4; start++) {
                if (start > 0) {
                    // Deleted and created again: the same consumer group, so it resumes where it committed (nowhere).
                    ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
                    Await.until("the task stopped", DEADLINE, () -> recordsRead(name) < 0);
                }
                rest.putConfig(name, config);
                ConnectAwait.running(rest, name, 1, DEADLINE);
                Await.until("the task read every record", DEADLINE, () -> recordsRead(name) >= read);
            }

            // Files may now rotate: what was read is committed, each bad value dead-lettered once.
            config.put("rotate.idle.ms", "500");
            rest.putConfig(name, config);
            Await.until("everything before the outage committed", DEADLINE,
                    () -> committedEverything(name, topic, 1));
            assertEquals(bad, endOffset(dlq), "each bad value dead-lettered once, though read five times");

            // The registry is cut off, and 20 orders of an unseen schema (v2) arrive: the task must wait for it,
            // retrying, while nothing is dead-lettered or committed past them.
            long beforeOutage = committedOffset(name, topic);
            proxy.cutOff();
            for (long id = 60; id < 80; id++) {
                producer.send(new ProducerRecord<>(topic, "order-" + id, serializer.serialize(topic,
                        avroOrderRecord(avroOrder(true), id)))).get();
            }
            Await.until("the task retried the registry for a while", DEADLINE,
                    () -> proxy.refusedConnections() >= 6);
            assertEquals("RUNNING", rest.status(name).path("tasks").path(0).path("state").asText(),
                    "an outage pauses the task, it does not fail it");
            assertEquals(bad, endOffset(dlq), "nothing dead-lettered during the outage");
            assertEquals(beforeOutage, committedOffset(name, topic), "nothing committed past the outage");
            proxy.restore();

            Await.until("all offsets committed", DEADLINE, () -> committedEverything(name, topic, 1));
            LakeContents lake = new LakeContents(s3.client(), S3Server.LAKE_BUCKET,
                    temp.resolve("download-" + suffix));
            List<GenericRecord> rows = lake.allRows(prefix + "/");
            assertEquals(80, rows.size(), "every good order, also those that arrived during the outage");
            assertEquals(80, rows.stream().map(r -> r.get("id")).distinct().count());
            assertEquals(bad, endOffset(dlq), "the bad values, once each, and nothing else");
            for (ConsumerRecord<String, String> letter : readAll(dlq, bad)) {
                assertTrue(letter.key().startsWith("bad-"), letter.key());
                assertEquals("{\"not\":\"avro\"}", letter.value(), "the original bytes");
            }
        }
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    @Test
    void recordsOfAnAbortedTransactionNeverReachTheLake() throws Exception {
        SinkNames sink = SinkNames.created("txn", 1);
        String suffix = sink.suffix(), topic = sink.topic(), dlq = sink.dlq();
        String name = sink.name(), prefix = sink.prefix();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-txn-it-" + suffix);
        long lastCommitted = -1;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int id = 0; id < 10; id++) {
                producer.send(new ProducerRecord<>(topic, 0, "order-" + id, orderJson(id)));
            }
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (int id = 100; id < 103; id++) {
                lastCommitted = producer.send(new ProducerRecord<>(topic, 0, "order-" + id, orderJson(id))).get()
                        .offset();
            }
            producer.commitTransaction();
        }
        long next = lastCommitted + 1;

        // The template's setting: without it the consumer reads the aborted records too (read_uncommitted).
        Map<String, String> config = sinkConfig(suffix, topic, prefix, dlq);
        config.put("tasks.max", "1");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        config.put("consumer.override.isolation.level", "read_committed");
        rest.putConfig(name, config);
        ConnectAwait.running(rest, name, 1, DEADLINE);
        // The sink commits the offset after the last record it wrote; the commit marker follows it.
        Await.until("the committed orders committed", DEADLINE, () -> committedOffset(name, topic) >= next);

        List<GenericRecord> rows = new LakeContents(s3.client(), S3Server.LAKE_BUCKET,
                temp.resolve("download-" + suffix)).allRows(prefix + "/");
        assertEquals(List.of(100L, 101L, 102L), rows.stream().map(r -> (Long) r.get("id")).sorted().toList(),
                "exactly the committed orders");
        assertEquals(0, endOffset(dlq));
        ConnectAwait.deleteAndAwaitGone(rest, name, DEADLINE);
    }

    /**
     * Records the connector's task 0 has read from Kafka since it started (its sink-task metrics, in this JVM's
     * worker); -1 while no such task runs.
     */
    private static long recordsRead(String connector) throws Exception {
        ObjectName task = new ObjectName("kafka.connect:type=sink-task-metrics,connector=" + connector + ",task=0");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.isRegistered(task) ? ((Number) server.getAttribute(task, "sink-record-read-total")).longValue()
                : -1;
    }

    private static long committedOffset(String connector, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition(topic, 0));
            return committed == null ? -1 : committed.offset();
        }
    }

    private static long endOffset(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all().get()
                    .values().iterator().next().offset();
        }
    }

    /** A test's connector, its topic (with {@code partitions}) and dead letter queue, created, and its lake prefix. */
    private record SinkNames(String suffix, String topic, String dlq, String name, String prefix) {
        static SinkNames created(String kind, int partitions) {
            String suffix = kind + "-" + UUID.randomUUID().toString().substring(0, 8);
            SinkNames names = new SinkNames(suffix, "silver.orders-" + suffix, "dlq.s3-sink-" + suffix,
                    "s3-sink-" + suffix, "e2e-" + suffix);
            kafka.createTopics(partitions, names.topic());
            kafka.createTopics(1, names.dlq());
            return names;
        }
    }

    /** The connector's settings: this S3 server, credentials through the file config provider, a DLQ. */
    private static Map<String, String> sinkConfig(String suffix, String topic, String prefix, String dlq)
            throws Exception {
        Path credentials = temp.resolve("s3-credentials-" + suffix + ".properties");
        Properties secrets = new Properties();
        secrets.setProperty("aws.access.key.id", s3.accessKey());
        secrets.setProperty("aws.secret.access.key", s3.secretKey());
        try (var out = Files.newOutputStream(credentials)) {
            secrets.store(out, null);
        }
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", S3ParquetSinkConnector.class.getName());
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("s3.bucket.name", S3Server.LAKE_BUCKET);
        config.put("s3.endpoint", s3.endpoint().toString());
        config.put("s3.region", s3.region());
        config.put("s3.path.style.access", "true");
        config.put("aws.access.key.id", "${file:" + credentials + ":aws.access.key.id}");
        config.put("aws.secret.access.key", "${file:" + credentials + ":aws.secret.access.key}");
        config.put("topics.dir", prefix);
        config.put("partition.timestamp.field", "created_at");
        config.put("partition.fields", "region");
        config.put("flush.size", "40");
        config.put("rotate.idle.ms", "1000");
        config.put("parquet.codec", "zstd");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props);
    }

    /**
     * Orders {@code from..to-1}, JSON with schemas; after every 50th order a tombstone. Sent without waiting for
     * each acknowledgement (the idempotent producer keeps each partition's order), all acknowledged on return.
     */
    private static void produce(KafkaProducer<String, String> producer, String topic, int from, int to)
            throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int id = from; id < to; id++) {
            String key = "order-" + id;
            sends.add(producer.send(new ProducerRecord<>(topic, id % 2, key, orderJson(id))));
            if (id % 50 == 49) {
                sends.add(producer.send(new ProducerRecord<>(topic, id % 2, key, null)));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    private static String orderJson(long id) {
        ObjectNode envelope = JSON.createObjectNode();
        ObjectNode schema = envelope.putObject("schema");
        schema.put("type", "struct").put("name", "dev.sluice.silver.Order").put("optional", false);
        ArrayNode fields = schema.putArray("fields");
        fields.addObject().put("field", "id").put("type", "int64").put("optional", false);
        fields.addObject().put("field", "region").put("type", "string").put("optional", true);
        fields.addObject().put("field", "amount").put("type", "double").put("optional", false);
        fields.addObject().put("field", "created_at").put("type", "int64").put("optional", false)
                .put("name", "org.apache.kafka.connect.data.Timestamp").put("version", 1);
        ObjectNode items = fields.addObject().put("field", "items").put("type", "array").put("optional", false);
        ObjectNode item = items.putObject("items").put("type", "struct").put("optional", false);
        item.putArray("fields").addObject().put("field", "sku").put("type", "string").put("optional", false);
        ObjectNode payload = envelope.putObject("payload");
        payload.put("id", id).put("region", REGIONS[(int) (id % 3)]).put("amount", id * 1.5)
                .put("created_at", TEN.plusSeconds(id * 10).toEpochMilli());
        payload.putArray("items").addObject().put("sku", "sku-" + id);
        return envelope.toString();
    }

    private static boolean committedEverything(String connector, String topic) throws Exception {
        return committedEverything(connector, topic, 2);
    }

    private static boolean committedEverything(String connector, String topic, int partitions) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                    && committed.get(e.getKey()).offset() == e.getValue().offset());
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int expected) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            Await.until(expected + " records in " + topic, DEADLINE, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
