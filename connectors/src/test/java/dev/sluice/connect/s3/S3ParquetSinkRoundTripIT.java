package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import dev.sluice.lake.DataObjectKey;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.PartitionPathFormatter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What goes in comes out: the sink task against a real S3 server, read back with parquet-avro and
 * DuckDB. Content, layout, codecs, hostile partition values and errant records.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class S3ParquetSinkRoundTripIT {

    private static final String TOPIC = "silver.orders";
    private static final Instant BASE = Instant.parse("2026-03-07T09:00:00Z");

    @TempDir
    static Path downloads;

    private static S3Server s3;
    private static LakeContents lake;
    private final AtomicLong clock = new AtomicLong(1_000_000L);

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server;
        lake = new LakeContents(server.client(), S3Server.LAKE_BUCKET, downloads);
    }

    private static String uniquePrefix(String name) {
        return "it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Uploads whatever is open by letting the partitions go idle. */
    private void flushByIdle(SinkHarness sink) {
        clock.addAndGet(60_000);
        sink.putNothing();
    }

    private static Map<String, String> idleConfig(String prefix) {
        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("rotate.idle.ms", "10000");
        config.put("partition.timestamp.field", "created_at");
        return config;
    }

    @Test
    void contentAndLayoutRoundTrip() throws Exception {
        String prefix = uniquePrefix("roundtrip");
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        SinkHarness sink = SinkHarness.start(idleConfig(prefix), Set.of(p0, p1), clock);
        Map<Long, SinkRecord> produced = new HashMap<>();
        List<SinkRecord> batch = new ArrayList<>();
        for (long offset = 0; offset < 150; offset++) {
            for (int partition = 0; partition < 2; partition++) {
                // 150 records over three hours of event time per partition.
                SinkRecord record = Orders.record(TOPIC, partition, offset, BASE.plusSeconds(offset * 72),
                        partition == 0 ? "EU" : null, Orders.V1);
                batch.add(record);
                produced.put(partition * 1000L + offset, record);
            }
            if (batch.size() == 50) {
                sink.put(batch);
                batch.clear();
            }
        }
        sink.put(batch);
        flushByIdle(sink);

        assertEquals(Map.of(p0, 150L, p1, 150L), sink.commit(), "everything is durable and committable");

        List<String> keys = lake.parquetKeys(prefix + "/");
        Pattern layout = Pattern.compile(Pattern.quote(prefix) + "/silver\\.orders/year=2026/month=03/day=07/"
                + "hour=(09|10|11)/silver\\.orders\\+[01]\\+\\d{20}\\.snappy\\.parquet");
        assertEquals(6, keys.size(), "one file per hour per Kafka partition: " + keys);
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        Set<Long> seen = new HashSet<>();
        for (String key : keys) {
            assertTrue(layout.matcher(key).matches(), key);
            DataObjectKey parsed = namer.parse(key).orElseThrow();
            int hour = Integer.parseInt(PartitionPathFormatter.parse(parsed.partitionPath()).get("hour"));
            List<GenericRecord> rows = lake.rows(key);
            assertEquals(parsed.startOffset(), rows.get(0).get("__kafka_offset"), "named by its first offset");
            for (GenericRecord row : rows) {
                long offset = (Long) row.get("__kafka_offset");
                int partition = (Integer) row.get("__kafka_partition");
                assertEquals(parsed.kafkaPartition(), partition);
                assertTrue(seen.add(partition * 1000L + offset), "duplicate " + partition + "@" + offset);
                SinkRecord expected = produced.get(partition * 1000L + offset);
                assertRowEquals(expected, row);
                ZonedDateTime eventTime = Instant.ofEpochMilli((Long) row.get("created_at")).atZone(ZoneOffset.UTC);
                assertEquals(hour, eventTime.getHour(), "row in the directory of its event hour");
            }
        }
        assertEquals(produced.keySet(), seen, "every record exactly once");

        Path local = lake.downloadAll(prefix + "/");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = duck.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(amount), count(DISTINCT hour), min(year), "
                     + "count(*) FILTER (WHERE region IS NULL), sum(len(items)) FROM read_parquet('"
                     + local + "/**/*.parquet', hive_partitioning = true)")) {
            rs.next();
            BigDecimal expectedSum = produced.values().stream()
                    .map(r -> (BigDecimal) ((Struct) r.value()).get("amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(300, rs.getLong(1));
            assertEquals(0, expectedSum.compareTo(rs.getBigDecimal(2)), "sum of decimals " + rs.getBigDecimal(2));
            assertEquals(3, rs.getLong(3));
            assertEquals(2026, rs.getLong(4));
            assertEquals(150, rs.getLong(5));
            assertEquals(300, rs.getLong(6));
        }
        sink.stop();
    }

    private static void assertRowEquals(SinkRecord record, GenericRecord row) {
        Struct value = (Struct) record.value();
        assertEquals(value.getInt64("id"), row.get("id"));
        assertEquals(value.getString("customer"), row.get("customer").toString());
        assertEquals(value.getString("region"), row.get("region") == null ? null : row.get("region").toString());
        ByteBuffer amount = (ByteBuffer) row.get("amount");
        byte[] unscaled = new byte[amount.remaining()];
        amount.duplicate().get(unscaled);
        assertEquals(value.get("amount"), new BigDecimal(new BigInteger(unscaled), 2));
        assertEquals(((java.util.Date) value.get("created_at")).getTime(), row.get("created_at"));
        java.util.Date shipDate = (java.util.Date) value.get("ship_date");
        assertEquals(shipDate == null ? null : (int) (shipDate.getTime() / 86_400_000L), row.get("ship_date"));
        assertEquals(45_296_789, row.get("ship_time"));
        List<?> items = (List<?>) row.get("items");
        Struct item = (Struct) value.getArray("items").get(0);
        assertEquals(1, items.size());
        assertEquals(item.getString("sku"), ((GenericRecord) items.get(0)).get("sku").toString());
        assertEquals(item.getInt32("qty"), ((GenericRecord) items.get(0)).get("qty"));
        Map<?, ?> attributes = (Map<?, ?>) row.get("attributes");
        if (value.getMap("attributes") == null) {
            assertEquals(null, attributes);
        } else {
            assertEquals("web", attributes.entrySet().iterator().next().getValue().toString());
        }
        assertEquals(record.kafkaPartition(), row.get("__kafka_partition"));
        assertEquals(record.kafkaOffset(), row.get("__kafka_offset"));
        assertEquals(record.timestamp(), row.get("__kafka_timestamp"));
    }

    @ParameterizedTest
    @CsvSource({"snappy,SNAPPY", "zstd,ZSTD", "gzip,GZIP", "none,UNCOMPRESSED"})
    void everyCodecWritesReadableFiles(String codec, CompressionCodecName expected) throws Exception {
        String prefix = uniquePrefix("codec-" + codec);
        Map<String, String> config = idleConfig(prefix);
        config.put("parquet.codec", codec);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        SinkHarness sink = SinkHarness.start(config, Set.of(tp), clock);
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 40; offset++) {
            records.add(Orders.record(TOPIC, 0, offset, BASE));
        }
        sink.put(records);
        flushByIdle(sink);

        List<String> keys = lake.parquetKeys(prefix + "/");
        assertEquals(1, keys.size());
        assertTrue(keys.get(0).endsWith("." + codec + ".parquet"), keys.get(0));
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(lake.download(keys.get(0))))) {
            List<ColumnChunkMetaData> columns = reader.getFooter().getBlocks().get(0).getColumns();
            assertEquals(expected, columns.get(0).getCodec());
            Map<String, Boolean> dictionaries = columns.stream().collect(Collectors.toMap(
                    c -> c.getPath().toDotString(), ColumnChunkMetaData::hasDictionaryPage));
            assertTrue(dictionaries.get("customer"), "repeating values are dictionary-encoded");
            assertFalse(dictionaries.get("__kafka_timestamp"), "not the Kafka timestamp, even when it repeats");
            assertFalse(dictionaries.get("__kafka_offset"), "nor the Kafka offset");
        }
        assertEquals(40, lake.rows(keys.get(0)).size());
        sink.stop();
    }

    @Test
    void hostilePartitionValuesStayUnderThePrefix() {
        String prefix = uniquePrefix("hostile");
        Map<String, String> config = idleConfig(prefix);
        config.put("partition.fields", "region");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        List<String> regions = new ArrayList<>(List.of("../../etc", "a/b", "%", "%2F..", "..", "Zürich 東京",
                "line\nbreak", "back\\slash", "k=v", "x".repeat(10_000), ""));
        regions.add(null);
        Set<String> before = new TreeSet<>(lake.allKeys(""));
        SinkHarness sink = SinkHarness.start(config, Set.of(tp), clock);
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            records.add(Orders.record(TOPIC, 0, i, BASE, regions.get(i), Orders.V1));
        }
        sink.put(records);
        flushByIdle(sink);

        Set<String> created = new TreeSet<>(lake.allKeys(""));
        created.removeAll(before);
        assertFalse(created.isEmpty());
        for (String key : created) {
            assertTrue(key.startsWith(prefix + "/"), "escaped its prefix: " + key);
            assertFalse(key.contains("/../") || key.contains("//") || key.contains("\n"), key);
        }
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        List<String> dataKeys = lake.parquetKeys(prefix + "/");
        assertEquals(regions.size() - 1, dataKeys.size(), "null and empty share the default partition");
        int rows = 0;
        for (String key : dataKeys) {
            DataObjectKey parsed = namer.parse(key).orElseThrow(() -> new AssertionError("unparseable " + key));
            assertEquals(TOPIC, parsed.topic());
            String region = PartitionPathFormatter.parse(parsed.partitionPath()).get("region");
            for (GenericRecord row : lake.rows(key)) {
                Object actual = row.get("region");
                String actualRegion = actual == null || actual.toString().isEmpty() ? null : actual.toString();
                if (region == null || !region.contains("~")) {
                    assertEquals(region, actualRegion, "directory names the row's value: " + key);
                } else {
                    assertTrue(actualRegion.startsWith(region.substring(0, region.indexOf('~'))), key);
                }
                rows++;
            }
        }
        assertEquals(regions.size(), rows);
        sink.stop();
    }

    // ------------------------------------------------------------------ errant records

    private static final Schema NO_TIME = SchemaBuilder.struct().name("NoTime")
            .field("id", Schema.INT64_SCHEMA).build();

    private static List<SinkRecord> mixOfGoodAndBad() {
        List<SinkRecord> records = new ArrayList<>();
        records.add(Orders.record(TOPIC, 0, 0, BASE));
        records.add(new SinkRecord(TOPIC, 0, null, null, Orders.V1, null, 1, 0L, TimestampType.CREATE_TIME));
        records.add(new SinkRecord(TOPIC, 0, null, null, null, Map.of("id", 2), 2, 0L, TimestampType.CREATE_TIME));
        Struct tooPrecise = (Struct) Orders.record(TOPIC, 0, 3, BASE).value();
        tooPrecise.put("amount", new BigDecimal("12345678901.23"));
        records.add(new SinkRecord(TOPIC, 0, null, null, Orders.V1, tooPrecise, 3, 0L, TimestampType.CREATE_TIME));
        records.add(new SinkRecord(TOPIC, 0, null, null, NO_TIME, new Struct(NO_TIME).put("id", 4L), 4, null,
                TimestampType.NO_TIMESTAMP_TYPE));
        records.add(Orders.record(TOPIC, 0, 5, BASE));
        return records;
    }

    @Test
    void unconvertibleRecordsGoToTheErrantRecordReporterWithTheirReason() {
        String prefix = uniquePrefix("dlq");
        Map<String, String> config = idleConfig(prefix);
        config.put("errors.tolerance", "all");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        SinkHarness sink = SinkHarness.start(config, Set.of(tp), clock);

        sink.put(mixOfGoodAndBad());
        assertEquals(List.of(), sink.reporter().reports(), "held back while their group is open");
        flushByIdle(sink);

        List<RecordingErrantReporter.Report> reports = sink.reporter().reports();
        assertEquals(List.of(1L, 2L, 3L, 4L), reports.stream().map(r -> r.record().kafkaOffset()).toList());
        assertTrue(reports.get(0).error().getMessage().contains("Null value"), reports.get(0).error().getMessage());
        assertTrue(reports.get(1).error().getMessage().contains("Schemaless"), reports.get(1).error().getMessage());
        assertTrue(reports.get(2).error().getMessage().contains("precision"), reports.get(2).error().getMessage());
        assertTrue(reports.get(3).error().getMessage().contains("event time"), reports.get(3).error().getMessage());
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        assertEquals(List.of(0L, 5L), rows.stream().map(r -> (Long) r.get("__kafka_offset")).sorted().toList());
        assertEquals(Map.of(tp, 6L), sink.commit(), "reported records count as handled");
        sink.stop();
    }

    @Test
    void withToleranceNoneTheReporterHearsOfTheRecordAtOnce() {
        String prefix = uniquePrefix("dlq-none");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        SinkHarness sink = SinkHarness.start(idleConfig(prefix), Set.of(tp), clock);

        sink.put(mixOfGoodAndBad().subList(0, 2));

        assertEquals(1, sink.reporter().reports().size(), "the worker's reporter decides to fail the task");
        sink.stop();
    }

    @Test
    void withoutAReporterTheTaskFailsNamingTheRecord() {
        String prefix = uniquePrefix("nodlq");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        SinkHarness sink = SinkHarness.start(idleConfig(prefix), Set.of(tp), clock, new HashMap<>(), false);

        DataException e = assertThrows(DataException.class, () -> sink.put(mixOfGoodAndBad()));

        assertTrue(e.getMessage().contains("topic silver.orders, partition 0, offset 1"), e.getMessage());
        assertTrue(e.getMessage().contains("Null value"), e.getMessage());
        assertEquals(Map.of(tp, 0L), sink.commit(), "nothing past the failed record is committable");
        sink.stop();
    }

    @Test
    void withToleranceAllAndNoReporterBadRecordsAreSkippedVisibly() {
        String prefix = uniquePrefix("tolerate");
        Map<String, String> config = idleConfig(prefix);
        config.put("errors.tolerance", "all");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        SinkHarness sink = SinkHarness.start(config, Set.of(tp), clock, new HashMap<>(), false);

        sink.put(mixOfGoodAndBad());
        flushByIdle(sink);

        assertEquals(2, lake.allRows(prefix + "/").size());
        assertEquals(Map.of(tp, 6L), sink.commit());
        sink.stop();
    }

    @Test
    void ignoredNullValuesAreSkipped() {
        String prefix = uniquePrefix("ignore-null");
        Map<String, String> config = idleConfig(prefix);
        config.put("behavior.on.null.values", "ignore");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        SinkHarness sink = SinkHarness.start(config, Set.of(tp), clock);

        sink.put(List.of(Orders.record(TOPIC, 0, 0, BASE),
                new SinkRecord(TOPIC, 0, null, null, Orders.V1, null, 1, 0L, TimestampType.CREATE_TIME)));
        flushByIdle(sink);

        assertEquals(1, lake.allRows(prefix + "/").size());
        assertTrue(sink.reporter().reports().isEmpty());
        assertEquals(Map.of(tp, 2L), sink.commit());
        sink.stop();
    }

    @Test
    void primitiveValuesAreWrapped() {
        String prefix = uniquePrefix("primitive");
        TopicPartition tp = new TopicPartition("bronze.events.raw", 0);
        SinkHarness sink = SinkHarness.start(SinkHarness.config(s3, prefix), Set.of(tp), clock);
        sink.put(List.of(new SinkRecord(tp.topic(), 0, null, null, Schema.STRING_SCHEMA, "hello", 0,
                BASE.toEpochMilli(), TimestampType.CREATE_TIME)));
        sink.stop();
        assertTrue(lake.parquetKeys(prefix + "/").isEmpty(), "a stopped task uploads nothing");

        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("flush.size", "1");
        SinkHarness second = SinkHarness.start(config, Set.of(tp), clock);
        second.put(List.of(new SinkRecord(tp.topic(), 0, null, null, Schema.STRING_SCHEMA, "hello", 0,
                BASE.toEpochMilli(), TimestampType.CREATE_TIME)));
        List<GenericRecord> rows = lake.allRows(prefix + "/");
        assertEquals(1, rows.size());
        assertEquals("hello", rows.get(0).get("value").toString());
        second.stop();
    }

    @Test
    void decimalsWithoutDeclaredPrecisionStillRoundTrip() {
        String prefix = uniquePrefix("decimal");
        Schema schema = SchemaBuilder.struct().field("price", Decimal.schema(3)).build();
        Map<String, String> config = SinkHarness.config(s3, prefix);
        config.put("flush.size", "2");
        TopicPartition tp = new TopicPartition("silver.prices", 0);
        SinkHarness sink = SinkHarness.start(config, Set.of(tp), clock);

        sink.put(List.of(
                new SinkRecord(tp.topic(), 0, null, null, schema, new Struct(schema).put("price",
                        new BigDecimal("-0.001")), 0, BASE.toEpochMilli(), TimestampType.CREATE_TIME),
                new SinkRecord(tp.topic(), 0, null, null, schema, new Struct(schema).put("price",
                        new BigDecimal("99999999999999999999999999999999999.999")), 1, BASE.toEpochMilli(),
                        TimestampType.CREATE_TIME)));

        List<GenericRecord> rows = lake.allRows(prefix + "/");
        assertEquals(2, rows.size());
        ByteBuffer big = (ByteBuffer) rows.get(1).get("price");
        byte[] bytes = new byte[big.remaining()];
        big.get(bytes);
        assertEquals(new BigDecimal("99999999999999999999999999999999999.999"), new BigDecimal(new BigInteger(bytes), 3));
        sink.stop();
    }
}
