package dev.sluice.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.InsertField;
import org.junit.jupiter.api.Test;

class DeleteMarkersTest {

    private static final Schema ADDRESS = SchemaBuilder.struct().name("Address")
            .field("city", Schema.STRING_SCHEMA).build();
    private static final Schema SESSION = SchemaBuilder.struct().name("dev.sluice.Session")
            .field("user", Schema.STRING_SCHEMA)
            .field("start", Timestamp.SCHEMA)
            .field("revenue", Decimal.schema(2))
            .field("pages", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("address", ADDRESS)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Date START = new Date(1_772_877_600_000L);

    @Test
    void aTombstoneBecomesAMarkerWithItsKeyAndEveryHeaderAndPlace() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("sluice.lineage.source", "bronze.x/0/1");
        SinkRecord tombstone = new SinkRecord("gold.user_sessions", 1, null, bytes("u1@2026-03-07T10:00:00Z"), null,
                null, 42L, 1_000L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, headers);

        SinkRecord marker = transform("delete").apply(tombstone);

        Struct value = (Struct) marker.value();
        assertEquals(DeleteMarkers.MARKER, marker.valueSchema());
        assertEquals("u1@2026-03-07T10:00:00Z", value.get("__kafka_key"));
        assertEquals(true, value.get("__deleted"));
        assertEquals(List.of("__kafka_key", "__deleted"),
                marker.valueSchema().fields().stream().map(f -> f.name()).toList(), "no value fields");
        assertEquals(42L, marker.kafkaOffset());
        assertEquals(1, marker.kafkaPartition());
        assertEquals(1_000L, marker.timestamp());
        assertSame(tombstone.key(), marker.key());
        assertEquals(headers, marker.headers());
    }

    @Test
    void aValueGetsItsKeyAndDeletedFalseWithItsFieldsOptionalAndUnchanged() {
        SinkRecord record = session("u1@2026-03-07T10:00:00Z", 7L);

        SinkRecord row = transform("delete").apply(record);

        Schema schema = row.valueSchema();
        assertEquals("dev.sluice.Session", schema.name());
        for (String field : List.of("user", "start", "revenue", "pages", "address", "note")) {
            assertTrue(schema.field(field).schema().isOptional(), field + " is optional");
        }
        assertEquals(Timestamp.LOGICAL_NAME, schema.field("start").schema().name());
        assertEquals("2", schema.field("revenue").schema().parameters().get(Decimal.SCALE_FIELD));
        assertEquals(Schema.Type.STRUCT, schema.field("address").schema().type());
        assertEquals("Address", schema.field("address").schema().name());
        Struct value = (Struct) row.value();
        value.validate();
        assertEquals("u1", value.get("user"));
        assertEquals(START, value.get("start"));
        assertEquals(new BigDecimal("12.50"), value.get("revenue"));
        assertEquals(List.of("/a", "/b"), value.get("pages"));
        assertEquals("Berlin", value.getStruct("address").get("city"));
        assertNull(value.get("note"));
        assertEquals("u1@2026-03-07T10:00:00Z", value.get("__kafka_key"));
        assertEquals(false, value.get("__deleted"));
        assertEquals(7L, row.kafkaOffset());
    }

    @Test
    void keysAreTheParquetSinksText() {
        DeleteMarkers<SinkRecord> markers = transform("delete");
        assertEquals("order-1", key(markers, null, bytes("order-1")));
        assertEquals("order-2", key(markers, Schema.STRING_SCHEMA, "order-2"));
        assertEquals("17", key(markers, Schema.INT64_SCHEMA, 17L));
        assertNull(key(markers, null, null));
    }

    @Test
    void aSchemalessValueGetsTheColumnsAsEntries() {
        SinkRecord record = new SinkRecord("silver.t", 0, null, bytes("k"), null, Map.of("id", 1L), 3L);
        Object value = transform("delete").apply(record).value();
        assertEquals(Map.of("id", 1L, "__kafka_key", "k", "__deleted", false), value);
    }

    @Test
    void aValueWithItsOwnDeletedFieldOrNoRowIsErrantNamingWhere() {
        Schema debezium = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA)
                .field("__deleted", Schema.OPTIONAL_STRING_SCHEMA).build();
        SinkRecord cdc = new SinkRecord("bronze.pg.orders", 2, null, bytes("k"), debezium,
                new Struct(debezium).put("id", 1L).put("__deleted", "false"), 9L);
        DataException clash = assertThrows(DataException.class, () -> transform("delete").apply(cdc));
        assertTrue(clash.getMessage().contains("topic bronze.pg.orders, partition 2, offset 9")
                && clash.getMessage().contains("__deleted"), clash.getMessage());

        SinkRecord text = new SinkRecord("silver.t", 0, null, bytes("k"), Schema.STRING_SCHEMA, "x", 4L);
        DataException notARow = assertThrows(DataException.class, () -> transform("delete").apply(text));
        assertTrue(notARow.getMessage().contains("offset 4"), notARow.getMessage());
    }

    @Test
    void failMakesATombstoneErrantAndIgnoreOrFailLeaveEveryOtherRecordAlone() {
        SinkRecord tombstone = new SinkRecord("silver.t", 0, null, bytes("k"), null, null, 5L);
        DataException errant = assertThrows(DataException.class, () -> transform("fail").apply(tombstone));
        assertTrue(errant.getMessage().contains("topic silver.t, partition 0, offset 5"), errant.getMessage());
        assertSame(tombstone, transform("ignore").apply(tombstone));
        SinkRecord record = session("k", 6L);
        assertSame(record, transform("fail").apply(record));
        assertSame(record, transform("ignore").apply(record));
        assertThrows(ConfigException.class, () -> transform("drop"));
    }

    /** InsertField, after it in the Iceberg template's chain, adds its columns to the marker it would skip if null. */
    @Test
    void insertFieldAfterItGivesTheMarkerItsTopicTimestampPartitionAndOffset() {
        SinkRecord tombstone = new SinkRecord("silver.t", 1, null, bytes("k"), null, null, 11L, 2_000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME);
        try (InsertField<SinkRecord> insert = new InsertField.Value<>()) {
            insert.configure(Map.of("topic.field", "__kafka_topic", "timestamp.field", "__kafka_timestamp",
                    "partition.field", "__kafka_partition", "offset.field", "__kafka_offset"));
            assertSame(tombstone, insert.apply(tombstone), "InsertField alone passes a null value over");
            Struct marker = (Struct) insert.apply(transform("delete").apply(tombstone)).value();
            assertEquals("silver.t", marker.get("__kafka_topic"));
            assertEquals(new Date(2_000L), marker.get("__kafka_timestamp"));
            assertEquals(1, marker.get("__kafka_partition"));
            assertEquals(11L, marker.get("__kafka_offset"));
            assertEquals(true, marker.get("__deleted"));
        }
    }

    private static SinkRecord session(String key, long offset) {
        Struct value = new Struct(SESSION).put("user", "u1").put("start", START)
                .put("revenue", new BigDecimal("12.50")).put("pages", List.of("/a", "/b"))
                .put("address", new Struct(ADDRESS).put("city", "Berlin"));
        return new SinkRecord("gold.user_sessions", 0, null, bytes(key), SESSION, value, offset);
    }

    private static Object key(DeleteMarkers<SinkRecord> markers, Schema keySchema, Object key) {
        SinkRecord record = new SinkRecord("silver.t", 0, keySchema, key, null, null, 1L);
        return ((Struct) markers.apply(record).value()).get("__kafka_key");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static DeleteMarkers<SinkRecord> transform(String nullValues) {
        DeleteMarkers<SinkRecord> markers = new DeleteMarkers<>();
        markers.configure(Map.of(DeleteMarkersConfig.BEHAVIOR_ON_NULL_VALUES, nullValues));
        return markers;
    }
}
