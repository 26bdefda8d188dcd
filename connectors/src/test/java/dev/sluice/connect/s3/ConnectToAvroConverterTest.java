package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.RecordKeyText;
import dev.sluice.lake.KafkaColumns;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ConnectToAvroConverterTest {

    private static final org.apache.kafka.connect.data.Schema ADDRESS = SchemaBuilder.struct().name("Address")
            .field("city", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("zip", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static final org.apache.kafka.connect.data.Schema ALL_TYPES = SchemaBuilder.struct()
            .name("dev.sluice.test.AllTypes")
            .field("i8", org.apache.kafka.connect.data.Schema.INT8_SCHEMA)
            .field("i16", org.apache.kafka.connect.data.Schema.INT16_SCHEMA)
            .field("i32", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("i64", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("f32", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .field("f64", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
            .field("flag", org.apache.kafka.connect.data.Schema.BOOLEAN_SCHEMA)
            .field("text", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("blob", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA)
            .field("price", Decimal.builder(2).parameter("connect.decimal.precision", "10").build())
            .field("day", Date.SCHEMA)
            .field("at", Time.SCHEMA)
            .field("ts", Timestamp.SCHEMA)
            .field("maybe", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
            .field("address", ADDRESS)
            .field("tags", SchemaBuilder.array(org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA).build())
            .field("attrs", SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                    org.apache.kafka.connect.data.Schema.INT64_SCHEMA).build())
            .field("byId", SchemaBuilder.map(org.apache.kafka.connect.data.Schema.INT32_SCHEMA, ADDRESS).build())
            .field("weird-name", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();

    private final ConnectToAvroConverter converter = new ConnectToAvroConverter(true, false);

    /** The projector of a compatible projection; fails the test for an incompatible one. */
    private static RowProjector compatible(Projection projection) {
        return assertInstanceOf(Projection.Compatible.class, projection).projector();
    }

    private static SinkRecord record(org.apache.kafka.connect.data.Schema schema, Object value) {
        return new SinkRecord("t", 3, null, null, schema, value, 42, 1_700_000_000_000L, TimestampType.CREATE_TIME);
    }

    private static Struct allTypesValue() {
        return new Struct(ALL_TYPES)
                .put("i8", (byte) -8).put("i16", (short) 16).put("i32", 32).put("i64", 64L)
                .put("f32", 1.5f).put("f64", 2.25).put("flag", true).put("text", "hello")
                .put("blob", new byte[] {1, 2, 3})
                .put("price", new BigDecimal("12345678.90"))
                .put("day", new java.util.Date(19_000L * 86_400_000L))
                .put("at", new java.util.Date(3_600_000L + 1))
                .put("ts", new java.util.Date(1_700_000_000_123L))
                .put("address", new Struct(ADDRESS).put("city", "Bern"))
                .put("tags", java.util.Arrays.asList("a", null))
                .put("attrs", Map.of("k", 1L))
                .put("byId", Map.of(7, new Struct(ADDRESS).put("city", "Genf").put("zip", "1200")))
                .put("weird-name", "w");
    }

    @Test
    void mapsEveryConnectTypeToAvro() {
        Schema schema = converter.avroSchema(ALL_TYPES);

        assertEquals("dev.sluice.test.AllTypes", schema.getFullName());
        assertEquals(Schema.Type.INT, schema.getField("i8").schema().getType());
        assertEquals(Schema.Type.INT, schema.getField("i16").schema().getType());
        assertEquals(Schema.Type.LONG, schema.getField("i64").schema().getType());
        assertEquals(Schema.Type.FLOAT, schema.getField("f32").schema().getType());
        assertEquals(LogicalTypes.decimal(10, 2), schema.getField("price").schema().getLogicalType());
        assertEquals(LogicalTypes.date(), schema.getField("day").schema().getLogicalType());
        assertEquals(LogicalTypes.timeMillis(), schema.getField("at").schema().getLogicalType());
        assertEquals(LogicalTypes.timestampMillis(), schema.getField("ts").schema().getLogicalType());
        assertEquals(Schema.Type.UNION, schema.getField("maybe").schema().getType());
        assertEquals(Schema.Type.RECORD, schema.getField("address").schema().getType());
        assertEquals(Schema.Type.ARRAY, schema.getField("tags").schema().getType());
        assertEquals(Schema.Type.UNION, schema.getField("tags").schema().getElementType().getType());
        assertEquals(Schema.Type.MAP, schema.getField("attrs").schema().getType());
        Schema byId = schema.getField("byId").schema();
        assertEquals(Schema.Type.ARRAY, byId.getType(), "non-string keys become key/value records");
        assertEquals(Schema.Type.INT, byId.getElementType().getField("key").schema().getType());
        assertNotNull(schema.getField("weird_name"), "names are made Avro-safe");
        assertNotNull(schema.getField(KafkaColumns.OFFSET));
        assertNotNull(schema.getField(KafkaColumns.PARTITION));
        assertNotNull(schema.getField(KafkaColumns.TIMESTAMP));
        assertNotNull(schema.getField(KafkaColumns.LINEAGE_SOURCE));
        assertNotNull(schema.getField(KafkaColumns.LINEAGE_INGESTED_AT));
        assertNotNull(schema.getField(KafkaColumns.LINEAGE_PIPELINE_VERSION));
    }

    @Test
    void convertsValuesIntoTheAvroRepresentation() {
        Schema schema = converter.avroSchema(ALL_TYPES);

        GenericData.Record row = compatible(converter.projection(ALL_TYPES, schema))
                .project(record(ALL_TYPES, allTypesValue()));

        assertEquals(-8, row.get("i8"));
        assertEquals(16, row.get("i16"));
        assertEquals(64L, row.get("i64"));
        assertEquals(1.5f, row.get("f32"));
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), row.get("blob"));
        assertEquals(ByteBuffer.wrap(BigInteger.valueOf(1234567890L).toByteArray()), row.get("price"));
        assertEquals(19_000, row.get("day"));
        assertEquals(3_600_001, row.get("at"));
        assertEquals(1_700_000_000_123L, row.get("ts"));
        assertNull(row.get("maybe"));
        assertEquals("Bern", ((GenericData.Record) row.get("address")).get("city"));
        assertEquals(java.util.Arrays.asList("a", null), row.get("tags"));
        assertEquals(Map.of("k", 1L), row.get("attrs"));
        GenericData.Record entry = (GenericData.Record) ((List<?>) row.get("byId")).get(0);
        assertEquals(7, entry.get("key"));
        assertEquals("1200", ((GenericData.Record) entry.get("value")).get("zip"));
        assertEquals("w", row.get("weird_name"));
        assertEquals(3, row.get(KafkaColumns.PARTITION));
        assertEquals(42L, row.get(KafkaColumns.OFFSET));
        assertEquals(1_700_000_000_000L, row.get(KafkaColumns.TIMESTAMP));
        assertTrue(GenericData.get().validate(schema, row), "row conforms to its schema");
    }

    @Test
    void lineageHeadersBecomeColumnsAsTheWorkersHeaderConverterHandsThemOver() {
        org.apache.kafka.connect.data.Schema order = SchemaBuilder.struct().name("Order")
                .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA).build();
        Schema file = converter.avroSchema(order);
        RowProjector projector = compatible(converter.projection(order, file));

        // What SimpleHeaderConverter (the worker's default) makes of streams-app's headers: text, and an instant with
        // milliseconds parsed as a timestamp; one without milliseconds stays text.
        ConnectHeaders parsed = new ConnectHeaders();
        parsed.addString(KafkaColumns.SOURCE_HEADER, "bronze.pg.orders/1/42");
        parsed.addTimestamp(KafkaColumns.INGESTED_AT_HEADER, new java.util.Date(1_700_000_000_123L));
        parsed.addString(KafkaColumns.PIPELINE_VERSION_HEADER, "0.1.0");
        GenericData.Record row = projector.project(withHeaders(order, parsed));
        assertEquals("bronze.pg.orders/1/42", row.get(KafkaColumns.LINEAGE_SOURCE));
        assertEquals(1_700_000_000_123L, row.get(KafkaColumns.LINEAGE_INGESTED_AT));
        assertEquals("0.1.0", row.get(KafkaColumns.LINEAGE_PIPELINE_VERSION));
        assertTrue(GenericData.get().validate(file, row));

        ConnectHeaders raw = new ConnectHeaders();
        raw.addBytes(KafkaColumns.SOURCE_HEADER, "bronze.pg.orders/2/7".getBytes(StandardCharsets.UTF_8));
        raw.addString(KafkaColumns.INGESTED_AT_HEADER, "2023-11-14T22:13:20Z");
        GenericData.Record rawRow = projector.project(withHeaders(order, raw));
        assertEquals("bronze.pg.orders/2/7", rawRow.get(KafkaColumns.LINEAGE_SOURCE));
        assertEquals(1_700_000_000_000L, rawRow.get(KafkaColumns.LINEAGE_INGESTED_AT));
        assertNull(rawRow.get(KafkaColumns.LINEAGE_PIPELINE_VERSION), "absent header, null column");

        ConnectHeaders bad = new ConnectHeaders();
        bad.addString(KafkaColumns.INGESTED_AT_HEADER, "yesterday");
        assertNull(projector.project(withHeaders(order, bad)).get(KafkaColumns.LINEAGE_INGESTED_AT));
    }

    private static SinkRecord withHeaders(org.apache.kafka.connect.data.Schema schema, ConnectHeaders headers) {
        return new SinkRecord("t", 3, null, null, schema, new Struct(schema).put("id", 1L), 42, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, headers);
    }

    @Test
    void cachesSchemasByEquality() {
        org.apache.kafka.connect.data.Schema copy = SchemaBuilder.struct().name("Address")
                .field("city", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("zip", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        assertSame(converter.avroSchema(ADDRESS), converter.avroSchema(copy));
        Schema file = converter.avroSchema(ADDRESS);
        assertSame(converter.projection(ADDRESS, file), converter.projection(copy, file),
                "equal schema instances share one compiled projector");
    }

    @Test
    void wrapsNonStructValues() {
        org.apache.kafka.connect.data.Schema stringSchema = org.apache.kafka.connect.data.Schema.STRING_SCHEMA;
        Schema schema = converter.avroSchema(stringSchema);

        GenericData.Record row = compatible(converter.projection(stringSchema, schema))
                .project(record(stringSchema, "plain"));

        assertEquals("plain", row.get(AvroSchemaTranslator.WRAPPED_VALUE_FIELD));
    }

    @Test
    void leavesMetadataOutWhenDisabled() {
        ConnectToAvroConverter plain = new ConnectToAvroConverter(false, false);
        Schema schema = plain.avroSchema(ADDRESS);
        assertEquals(List.of("city", "zip"), schema.getFields().stream().map(Schema.Field::name).toList());
    }

    // ------------------------------------------------------------------ delete markers (behavior.on.null.values=delete)

    private static final org.apache.kafka.connect.data.Schema SESSION = SchemaBuilder.struct()
            .name("dev.sluice.test.UserSession")
            .field("user_id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("events", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("device", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("address", ADDRESS)
            .build();

    private final ConnectToAvroConverter withMarkers = new ConnectToAvroConverter(true, true);

    private static SinkRecord keyed(Object key, org.apache.kafka.connect.data.Schema schema, Object value) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(KafkaColumns.SOURCE_HEADER, "silver.user_events");
        return new SinkRecord("gold.user_sessions", 2, null, key, schema, value, 77, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, headers);
    }

    private static Struct session() {
        return new Struct(SESSION).put("user_id", "ünïcode").put("events", 3L)
                .put("address", new Struct(ADDRESS).put("city", "Bern"));
    }

    @Test
    void deleteMarkersAddKeyAndDeletedAndMakeTheValueColumnsNullable() {
        Schema file = withMarkers.avroSchema(SESSION);

        assertEquals(List.of("user_id", "events", "device", "address", KafkaColumns.PARTITION, KafkaColumns.OFFSET,
                KafkaColumns.TIMESTAMP, KafkaColumns.LINEAGE_SOURCE, KafkaColumns.LINEAGE_INGESTED_AT,
                KafkaColumns.LINEAGE_PIPELINE_VERSION, KafkaColumns.KEY, KafkaColumns.DELETED),
                file.getFields().stream().map(Schema.Field::name).toList());
        for (String value : List.of("user_id", "events", "device", "address")) {
            Schema.Field field = file.getField(value);
            assertEquals(Schema.Type.UNION, field.schema().getType(), value + " is nullable");
            assertEquals(Schema.Type.NULL, field.schema().getTypes().get(0).getType(), value + ": null first");
            assertTrue(field.hasDefaultValue() && field.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE,
                    value + " defaults to null");
        }
        assertEquals(Schema.Type.STRING, file.getField("address").schema().getTypes().get(1).getField("city")
                .schema().getType(), "nested fields keep their schema: only the top level must take a tombstone");
        assertEquals(List.of(Schema.Type.NULL, Schema.Type.STRING), file.getField(KafkaColumns.KEY).schema()
                .getTypes().stream().map(Schema::getType).toList());
        assertEquals(Schema.Type.BOOLEAN, file.getField(KafkaColumns.DELETED).schema().getType());
        assertEquals("dev.sluice.test.UserSession", file.getFullName());
    }

    @Test
    void aRowWithAValueIsNotDeletedAndCarriesItsKeyDecodedAsUtf8() {
        Schema file = withMarkers.avroSchema(SESSION);
        String key = "ünïcode@2026-12-01T09:00:00Z";

        GenericData.Record row = compatible(withMarkers.projection(SESSION, file))
                .project(keyed(key.getBytes(StandardCharsets.UTF_8), SESSION, session()));

        assertEquals(Boolean.FALSE, row.get(KafkaColumns.DELETED));
        assertEquals(key, row.get(KafkaColumns.KEY));
        assertEquals("ünïcode", row.get("user_id"));
        assertEquals(3L, row.get("events"));
        assertEquals(77L, row.get(KafkaColumns.OFFSET));
        assertTrue(GenericData.get().validate(file, row));
    }

    @Test
    void aTombstoneIsADeletedRowWithItsKeyMetadataAndNullValues() {
        Schema file = withMarkers.avroSchema(SESSION);
        String key = "u-7@2026-12-01T09:00:00Z";

        GenericData.Record row = withMarkers.tombstoneRow(keyed(key.getBytes(StandardCharsets.UTF_8), null, null),
                file);

        assertSame(file, row.getSchema(), "a tombstone fits the open file of its path");
        assertEquals(Boolean.TRUE, row.get(KafkaColumns.DELETED));
        assertEquals(key, row.get(KafkaColumns.KEY));
        assertEquals(2, row.get(KafkaColumns.PARTITION));
        assertEquals(77L, row.get(KafkaColumns.OFFSET));
        assertEquals(1_700_000_000_000L, row.get(KafkaColumns.TIMESTAMP));
        assertEquals("silver.user_events", row.get(KafkaColumns.LINEAGE_SOURCE));
        for (String value : List.of("user_id", "events", "device", "address")) {
            assertNull(row.get(value), value);
        }
        assertTrue(GenericData.get().validate(file, row), "row conforms to the file schema");
    }

    @Test
    void keysAreTextFromBytesStringsOrNothing() {
        assertEquals("k@1", RecordKeyText.of(keyed("k@1".getBytes(StandardCharsets.UTF_8), null, null)));
        assertEquals("k@2", RecordKeyText.of(keyed("k@2", null, null)));
        assertEquals("k@3", RecordKeyText.of(keyed(
                ByteBuffer.wrap("k@3".getBytes(StandardCharsets.UTF_8)), null, null)));
        assertNull(RecordKeyText.of(keyed(null, null, null)));
        assertNull(withMarkers.tombstoneRow(keyed(null, null, null), withMarkers.avroSchema(SESSION))
                .get(KafkaColumns.KEY), "a null key stays null");
    }

    @Test
    void aTombstoneWithoutAnOpenFileGetsTheSinkColumnsOnlyUnderTheDataRecordName() {
        Schema data = withMarkers.avroSchema(SESSION);
        Schema markers = withMarkers.markerSchema(data);

        assertEquals(data.getFullName(), markers.getFullName(), "compaction groups files by record name");
        assertEquals(data.getFields().subList(4, data.getFields().size()).stream().map(Schema.Field::name).toList(),
                markers.getFields().stream().map(Schema.Field::name).toList());
        for (Schema.Field field : markers.getFields()) {
            assertEquals(data.getField(field.name()).schema(), field.schema(), field.name());
        }
        GenericData.Record row = withMarkers.tombstoneRow(keyed("k".getBytes(StandardCharsets.UTF_8), null, null),
                markers);
        assertTrue(GenericData.get().validate(markers, row));
        assertInstanceOf(Projection.Incompatible.class, withMarkers.projection(SESSION, markers),
                "a record with a value needs a file with its columns");
        assertSame(markers, withMarkers.markerSchema(data));
        assertEquals("Value", withMarkers.markerSchema(null).getFullName(), "before any record with a value");
    }

    @Test
    void aValueFieldNamedLikeADeleteMarkerIsErrantOnlyWithDeleteMarkers() {
        org.apache.kafka.connect.data.Schema cdcRow = SchemaBuilder.struct().name("Customer")
                .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
                .field(KafkaColumns.DELETED, org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .build();

        DataException e = assertThrows(DataException.class, () -> withMarkers.avroSchema(cdcRow));
        assertTrue(e.getMessage().contains(KafkaColumns.DELETED) && e.getMessage().contains("behavior.on.null.values"),
                e.getMessage());
        assertNotNull(converter.avroSchema(cdcRow).getField(KafkaColumns.DELETED),
                "without delete markers Debezium's own __deleted is an ordinary column");
    }

    @Test
    void withoutDeleteMarkersRequiredFieldsStayRequired() {
        Schema file = converter.avroSchema(SESSION);
        assertEquals(Schema.Type.STRING, file.getField("user_id").schema().getType());
        assertNull(file.getField(KafkaColumns.DELETED));
        assertNull(file.getField(KafkaColumns.KEY));
    }

    // ------------------------------------------------------------------ evolution

    private static final org.apache.kafka.connect.data.Schema V1 = SchemaBuilder.struct().name("Order").version(1)
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .build();
    private static final org.apache.kafka.connect.data.Schema V2 = SchemaBuilder.struct().name("Order").version(2)
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .field("coupon", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final org.apache.kafka.connect.data.Schema V3_WIDER = SchemaBuilder.struct().name("Order")
            .version(3)
            .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
            .field("coupon", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("note", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final org.apache.kafka.connect.data.Schema V_TYPE_CHANGE = SchemaBuilder.struct().name("Order")
            .field("id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .build();
    private static final org.apache.kafka.connect.data.Schema V_REQUIRED_ADDED = SchemaBuilder.struct().name("Order")
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("amount", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
            .field("currency", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();

    @Test
    void olderRecordsProjectOntoANewerFileWithNullsForAddedOptionalFields() {
        Schema v2File = converter.avroSchema(V2);

        RowProjector projector = compatible(converter.projection(V1, v2File));
        GenericData.Record row = projector.project(record(V1, new Struct(V1).put("id", 1).put("amount", 9.5f)));

        assertSame(v2File, row.getSchema());
        assertEquals(1, row.get("id"));
        assertNull(row.get("coupon"));
    }

    @Test
    void newerRecordsDoNotFitAnOlderFile() {
        Schema v1File = converter.avroSchema(V1);

        assertInstanceOf(Projection.Incompatible.class, converter.projection(V2, v1File), "coupon would be lost");
        assertTrue(assertInstanceOf(Projection.Incompatible.class, converter.projection(V2, v1File)).reason()
                .contains("coupon"));
    }

    @Test
    void numbersWidenIntoAWiderFile() {
        Schema v3File = converter.avroSchema(V3_WIDER);

        GenericData.Record row = compatible(converter.projection(V1, v3File))
                .project(record(V1, new Struct(V1).put("id", 7).put("amount", 1.25f)));

        assertEquals(7L, row.get("id"));
        assertEquals(1.25d, row.get("amount"));
        assertInstanceOf(Projection.Incompatible.class, converter.projection(V3_WIDER, converter.avroSchema(V1)),
                "no narrowing");
    }

    @Test
    void projectionIsTransitive() {
        assertInstanceOf(Projection.Compatible.class, converter.projection(V1, converter.avroSchema(V2)));
        assertInstanceOf(Projection.Compatible.class, converter.projection(V2, converter.avroSchema(V3_WIDER)));
        assertInstanceOf(Projection.Compatible.class, converter.projection(V1, converter.avroSchema(V3_WIDER)));
    }

    @Test
    void incompatibleChangesNeedTheirOwnFile() {
        assertInstanceOf(Projection.Incompatible.class, converter.projection(V_TYPE_CHANGE, converter.avroSchema(V1)));
        assertInstanceOf(Projection.Incompatible.class, converter.projection(V1, converter.avroSchema(V_TYPE_CHANGE)));
        assertInstanceOf(Projection.Incompatible.class,
                converter.projection(V1, converter.avroSchema(V_REQUIRED_ADDED)),
                "currency has no value");
        org.apache.kafka.connect.data.Schema optionalId = SchemaBuilder.struct().name("Order")
                .field("id", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
                .field("amount", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
                .build();
        assertInstanceOf(Projection.Incompatible.class, converter.projection(optionalId, converter.avroSchema(V1)),
                "null cannot enter a required column");
        assertInstanceOf(Projection.Compatible.class, converter.projection(V1, converter.avroSchema(optionalId)),
                "required fits optional");
    }

    @Test
    void decimalsMustKeepScaleAndFitPrecision() {
        org.apache.kafka.connect.data.Schema narrow = SchemaBuilder.struct()
                .field("p", Decimal.builder(2).parameter("connect.decimal.precision", "4").build()).build();
        org.apache.kafka.connect.data.Schema wide = SchemaBuilder.struct()
                .field("p", Decimal.builder(2).parameter("connect.decimal.precision", "9").build()).build();
        org.apache.kafka.connect.data.Schema otherScale = SchemaBuilder.struct()
                .field("p", Decimal.builder(3).parameter("connect.decimal.precision", "9").build()).build();

        assertInstanceOf(Projection.Compatible.class, converter.projection(narrow, converter.avroSchema(wide)));
        assertInstanceOf(Projection.Incompatible.class, converter.projection(wide, converter.avroSchema(narrow)));
        assertInstanceOf(Projection.Incompatible.class, converter.projection(otherScale, converter.avroSchema(wide)));

        RowProjector projector = compatible(converter.projection(narrow, converter.avroSchema(narrow)));
        DataException tooBig = assertThrows(DataException.class,
                () -> projector.project(record(narrow, new Struct(narrow).put("p", new BigDecimal("123.45")))));
        assertTrue(tooBig.getMessage().contains("precision"), tooBig.getMessage());
    }

    @Test
    void decimalWithoutPrecisionDefaultsTo38() {
        org.apache.kafka.connect.data.Schema schema = SchemaBuilder.struct().field("p", Decimal.schema(4)).build();
        Schema avro = converter.avroSchema(schema);
        assertEquals(LogicalTypes.decimal(38, 4), avro.getField("p").schema().getLogicalType());
    }

    // ------------------------------------------------------------------ unsupported schemas

    @Test
    void rejectsSchemasParquetCannotHold() {
        org.apache.kafka.connect.data.Schema empty = SchemaBuilder.struct().name("Empty").build();
        assertThrows(DataException.class, () -> converter.avroSchema(empty));

        org.apache.kafka.connect.data.Schema clash = SchemaBuilder.struct()
                .field("a-b", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("a_b", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();
        DataException e = assertThrows(DataException.class, () -> converter.avroSchema(clash));
        assertTrue(e.getMessage().contains("a_b"), e.getMessage());

        org.apache.kafka.connect.data.Schema metadataClash = SchemaBuilder.struct()
                .field("__kafka_offset", org.apache.kafka.connect.data.Schema.INT64_SCHEMA).build();
        assertThrows(DataException.class, () -> converter.avroSchema(metadataClash));
    }

    @Test
    void reusedNestedSchemasGetDistinctRecordNames() {
        org.apache.kafka.connect.data.Schema envelope = SchemaBuilder.struct().name("Envelope")
                .field("before", SchemaBuilder.struct().name("Value").optional()
                        .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA).build())
                .field("after", SchemaBuilder.struct().name("Value").optional()
                        .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA).build())
                .build();

        Schema avro = converter.avroSchema(envelope);

        assertEquals(Schema.Type.UNION, avro.getField("before").schema().getType());
        Schema.Parser parser = new Schema.Parser();
        assertEquals(avro, parser.parse(avro.toString()), "the schema round-trips through its JSON form");
    }
}
