package dev.sluice.connect.cdc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.data.SpecialValueDecimal;
import io.debezium.data.VariableScaleDecimal;
import io.debezium.jdbc.JdbcValueConverters.DecimalMode;
import io.debezium.relational.Column;
import io.debezium.relational.mapping.PropagateSourceMetadataToSchemaParameter;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The transform against Debezium's own schema builders: the input is what Debezium's string mode with propagated
 * source types builds (SpecialValueDecimal in STRING mode, PropagateSourceMetadataToSchemaParameter), the expected
 * output what its precise mode builds (SpecialValueDecimal in PRECISE mode, VariableScaleDecimal, money's Decimal).
 */
class PreciseDecimalsTest {

    /** What Debezium's PostgreSQL connector reports as length of a numeric without precision. */
    private static final int VARIABLE_LENGTH = 131089;
    private static final Column AMOUNT = numeric("amount", 12, 2, true);
    private static final Column FREE = numeric("free", VARIABLE_LENGTH, 0, true);
    private static final Column PRICE = Column.editor().name("price").type("money").jdbcType(Types.DOUBLE)
            .length(2147483647).scale(2).optional(true).create();
    private static final Column RATIOS = Column.editor().name("ratios").type("_numeric").jdbcType(Types.ARRAY)
            .length(5).scale(2).optional(true).create();
    private static final Column CODE = numeric("code", 6, 0, false);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The key and row of an unwrapped change, as Debezium builds them in string mode. */
    private static final Schema STRING_KEY = SchemaBuilder.struct().name("bronze.pg.public.orders.Key")
            .field("code", stringMode(CODE)).build();
    private static final Schema STRING_ROW = stringRow();
    /** The same, as Debezium builds them in precise mode: what bronze has always had. */
    private static final Schema PRECISE_KEY = SchemaBuilder.struct().name("bronze.pg.public.orders.Key")
            .field("code", SpecialValueDecimal.builder(DecimalMode.PRECISE, 6, 0).build()).build();
    private static final Schema PRECISE_ROW = SchemaBuilder.struct().name("bronze.pg.public.orders.Value")
            .field("code", SpecialValueDecimal.builder(DecimalMode.PRECISE, 6, 0).build())
            .field("amount", SpecialValueDecimal.builder(DecimalMode.PRECISE, 12, 2).optional().build())
            .field("free", VariableScaleDecimal.builder().optional().build())
            .field("price", Decimal.builder(2).optional().build())
            .field("ratios", SchemaBuilder.array(SpecialValueDecimal.builder(DecimalMode.PRECISE, 5, 2).optional()
                    .build()).optional().build())
            .field("qty", SchemaBuilder.int32().optional().build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("__table", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Map<String, ?> PARTITION = Map.of("server", "bronze.pg");
    private static final Map<String, ?> OFFSET = Map.of("lsn", 4711L, "txId", 9L);

    @Test
    void schemasAreThoseOfPreciseMode() {
        SourceRecord out = transform("dead-letter").apply(record(row("10.50", "1.500", "3.20", List.of("1.5"))));
        assertEquals(PRECISE_KEY, out.keySchema());
        assertEquals(PRECISE_ROW, out.valueSchema());
        assertTrue(out.valueSchema().field("amount").schema().parameters().keySet().stream()
                .noneMatch(k -> k.startsWith("__debezium")), "the propagated parameters are gone");
    }

    @Test
    void valuesAreThoseOfPreciseMode() {
        SourceRecord out = transform("dead-letter").apply(record(row("10.50", "1.500", "3.20",
                Arrays.asList("1.5", null))));
        Struct row = (Struct) out.value();
        assertEquals(new BigDecimal("10.50"), row.get("amount"));
        assertEquals(new BigDecimal("42"), row.get("code"));
        // Debezium's precise mode strips trailing zeros of a variable-scale decimal: 1.500 is scale 1, 15.
        Struct free = row.getStruct("free");
        assertEquals(1, free.getInt32("scale"));
        assertArrayEquals(new byte[] {15}, free.getBytes("value"));
        assertEquals(new BigDecimal("1.5"), VariableScaleDecimal.toLogical(free).getDecimalValue().orElseThrow());
        assertEquals(new BigDecimal("3.20"), row.get("price"));
        assertEquals(Arrays.asList(new BigDecimal("1.50"), null), row.getArray("ratios"));
        assertEquals("good", row.get("note"));
        assertEquals(new BigDecimal("42"), ((Struct) out.key()).get("code"));
        assertEquals("bronze.pg.orders", out.topic());
        assertEquals(OFFSET, out.sourceOffset());
    }

    @Test
    void aVariableScaleDecimalWithoutFractionHasScaleZero() {
        Struct free = ((Struct) transform("fail").apply(record(row("1", "1200", "0", List.of()))).value())
                .getStruct("free");
        assertEquals(0, free.getInt32("scale"), "1200 stripped is 12E+2, which precise mode sets to scale 0");
        assertEquals(new BigDecimal("1200"), VariableScaleDecimal.toLogical(free).getDecimalValue().orElseThrow());
    }

    @Test
    void nullsStayNull() {
        Struct row = (Struct) transform("fail").apply(record(row(null, null, null, null))).value();
        assertNull(row.get("amount"));
        assertNull(row.get("free"));
        assertNull(row.get("price"));
        assertNull(row.get("ratios"));
    }

    @Test
    void beforeAndAfterOfAChangeEventAreRebuilt() {
        Schema source = SchemaBuilder.struct().name("source").field("table", Schema.STRING_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("bronze.pg.public.orders.Envelope")
                .field("before", optional(STRING_ROW)).field("after", optional(STRING_ROW))
                .field("source", source).field("op", Schema.STRING_SCHEMA).build();
        Struct before = new Struct(envelope.field("before").schema()).put("code", "42").put("amount", "1.00");
        Struct after = new Struct(envelope.field("after").schema()).put("code", "42").put("amount", "2.00");
        Struct change = new Struct(envelope).put("before", before).put("after", after)
                .put("source", new Struct(source).put("table", "orders")).put("op", "u");

        SourceRecord out = transform("fail").apply(new SourceRecord(PARTITION, OFFSET, "bronze.pg.public.orders",
                null, STRING_KEY, key(), envelope, change));

        assertEquals(optional(PRECISE_ROW), out.valueSchema().field("before").schema());
        assertEquals(optional(PRECISE_ROW), out.valueSchema().field("after").schema());
        assertEquals(new BigDecimal("1.00"), ((Struct) out.value()).getStruct("before").get("amount"));
        assertEquals(new BigDecimal("2.00"), ((Struct) out.value()).getStruct("after").get("amount"));

        Struct insert = new Struct(envelope).put("after", after)
                .put("source", new Struct(source).put("table", "orders")).put("op", "c");
        SourceRecord created = transform("fail").apply(new SourceRecord(PARTITION, OFFSET, "bronze.pg.public.orders",
                null, STRING_KEY, key(), envelope, insert));
        assertNull(((Struct) created.value()).get("before"), "no before of an insert");

        Struct nan = new Struct(envelope).put("after", new Struct(envelope.field("after").schema()).put("code", "42")
                .put("amount", "NaN")).put("source", new Struct(source).put("table", "orders")).put("op", "c");
        SourceRecord letter = transform("dead-letter").apply(new SourceRecord(PARTITION, OFFSET,
                "bronze.pg.public.orders", null, STRING_KEY, key(), envelope, nan));
        assertEquals("orders.amount: 'NaN' has no decimal representation", header(letter, "sluice.error.message"),
                "the table of a change event is its source.table");
    }

    @Test
    void aTombstoneAndARecordWithoutDecimalsPassUnchanged() {
        PreciseDecimals<SourceRecord> transform = transform("fail");
        SourceRecord tombstone = new SourceRecord(PARTITION, OFFSET, "bronze.pg.orders", null, STRING_KEY, key(),
                null, null);
        SourceRecord out = transform.apply(tombstone);
        assertEquals(PRECISE_KEY, out.keySchema());
        assertNull(out.value());
        assertNull(out.valueSchema());

        Schema heartbeat = SchemaBuilder.struct().name("heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord beat = new SourceRecord(PARTITION, OFFSET, "__sluice-heartbeat.bronze.pg", heartbeat,
                new Struct(heartbeat).put("ts_ms", 1L));
        assertSame(beat, transform.apply(beat));
        assertNull(transform.apply(null));
    }

    @Test
    void specialValuesBecomeDeadLettersNamingTableColumnAndValue() throws Exception {
        PreciseDecimals<SourceRecord> transform = transform("dead-letter");
        for (String special : List.of("NaN", "Infinity", "-Infinity")) {
            SourceRecord out = transform.apply(record(row(special, "1", "1", List.of())));

            assertEquals("dlq.source", out.topic());
            assertEquals(Schema.OPTIONAL_BYTES_SCHEMA, out.valueSchema());
            assertEquals(OFFSET, out.sourceOffset(), "the position stays, so Connect commits it after the send");
            JsonNode raw = JSON.readTree((byte[]) out.value());
            assertEquals(special, raw.path("amount").asText(), "the raw value: " + raw);
            assertEquals("good", raw.path("note").asText());
            assertEquals("42", JSON.readTree((byte[]) out.key()).path("code").asText());
            assertEquals("orders.amount: '" + special + "' has no decimal representation",
                    header(out, "sluice.error.message"));
            assertEquals("orders", header(out, "sluice.source.table"));
            assertEquals("bronze.pg.orders", header(out, "sluice.source.topic"));
            assertEquals("4711", header(out, "sluice.source.offset"));
            assertEquals("source", header(out, "sluice.error.stage"));
        }
        // What Debezium's string mode really writes: the names of its own constants.
        Map<String, String> snapshotSpelling = Map.of("NAN", "NaN", "POSITIVE_INFINITY", "Infinity",
                "NEGATIVE_INFINITY", "-Infinity");
        snapshotSpelling.forEach((debezium, postgres) -> assertEquals(
                "orders.amount: '" + postgres + "' has no decimal representation",
                header(transform.apply(record(row(debezium, "1", "1", List.of()))), "sluice.error.message")));
        SourceRecord free = transform.apply(record(row("1", "Infinity", "1", List.of())));
        assertEquals("orders.free: 'Infinity' has no decimal representation", header(free, "sluice.error.message"));
        SourceRecord element = transform.apply(record(row("1", "1", "1", List.of("1", "NaN"))));
        assertEquals("orders.ratios: 'NaN' has no decimal representation", header(element, "sluice.error.message"));
    }

    @Test
    void failModeFailsNamingTableAndColumn() {
        DataException e = assertThrows(DataException.class,
                () -> transform("fail").apply(record(row("1", "NaN", "1", List.of()))));
        assertEquals("orders.free: 'NaN' has no decimal representation", e.getMessage());
    }

    @Test
    void aDefaultBecomesADecimalDefault() {
        Schema withDefault = SchemaBuilder.struct().name("row")
                .field("amount", stringMode(AMOUNT, "0.00")).build();
        SourceRecord out = transform("fail").apply(new SourceRecord(PARTITION, OFFSET, "bronze.pg.orders", withDefault,
                new Struct(withDefault).put("amount", "5.00")));
        Schema amount = out.valueSchema().field("amount").schema();
        assertEquals(SpecialValueDecimal.builder(DecimalMode.PRECISE, 12, 2).optional()
                .defaultValue(new BigDecimal("0.00")).build(), amount);
    }

    @Test
    void oneTableKeepsOneSchemaInstance() {
        PreciseDecimals<SourceRecord> transform = transform("fail");
        Schema first = transform.apply(record(row("1", "1", "1", List.of()))).valueSchema();
        assertSame(first, transform.apply(record(row("2", "2", "2", List.of()))).valueSchema(),
                "the converter caches schemas by instance");
    }

    @Test
    void anEqualSchemaOfAnotherInstanceIsRebuiltAlike() {
        PreciseDecimals<SourceRecord> transform = transform("fail");
        Schema first = transform.apply(record(row("1", "1", "1", List.of()))).valueSchema();
        Schema other = stringRow();
        Struct row = new Struct(other).put("code", "42").put("amount", "2.50").put("free", "7").put("qty", 3)
                .put("note", "good");
        SourceRecord out = transform.apply(new SourceRecord(PARTITION, OFFSET, "bronze.pg.orders", null, STRING_KEY,
                key(), other, row));
        assertSame(first, out.valueSchema());
        assertEquals(new BigDecimal("2.50"), ((Struct) out.value()).get("amount"));
        assertEquals(3, ((Struct) out.value()).get("qty"));
        assertEquals("good", ((Struct) out.value()).get("note"));

        Schema heartbeat = SchemaBuilder.struct().name("heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
        transform.apply(new SourceRecord(PARTITION, OFFSET, "beats", heartbeat, new Struct(heartbeat).put("ts_ms", 1L)));
        Schema equalHeartbeat = SchemaBuilder.struct().name("heartbeat").field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord beat = new SourceRecord(PARTITION, OFFSET, "beats", equalHeartbeat,
                new Struct(equalHeartbeat).put("ts_ms", 2L));
        assertSame(beat, transform.apply(beat), "a record without decimals is passed on as it is");
    }

    @Test
    void anUnknownModeIsRejectedNamingTheKey() {
        Map<String, String> props = new HashMap<>(Map.of("on.failure", "skip"));
        ConfigException e = assertThrows(ConfigException.class, () -> new PreciseDecimals<>().configure(props));
        assertTrue(e.getMessage().contains("on.failure"), e.getMessage());
    }

    /** A new instance each time: Debezium and its transforms do not always reuse one. */
    private static Schema stringRow() {
        return SchemaBuilder.struct().name("bronze.pg.public.orders.Value")
                .field("code", stringMode(CODE))
                .field("amount", stringMode(AMOUNT))
                .field("free", stringMode(FREE))
                .field("price", stringMode(PRICE))
                .field("ratios", propagated(RATIOS, SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional()))
                .field("qty", SchemaBuilder.int32().optional().build())
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .field("__table", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
    }

    private static Column numeric(String name, int length, int scale, boolean optional) {
        return Column.editor().name(name).type("numeric").jdbcType(Types.NUMERIC).length(length).scale(scale)
                .optional(optional).create();
    }

    private static Schema stringMode(Column column) {
        return stringMode(column, null);
    }

    private static Schema stringMode(Column column, String defaultValue) {
        SchemaBuilder builder = SpecialValueDecimal.builder(DecimalMode.STRING, column.length(),
                column.scale().orElse(0));
        if (column.isOptional()) {
            builder.optional();
        }
        if (defaultValue != null) {
            builder.defaultValue(defaultValue);
        }
        return propagated(column, builder);
    }

    private static Schema propagated(Column column, SchemaBuilder builder) {
        new PropagateSourceMetadataToSchemaParameter().alterFieldSchema(column, builder);
        return builder.build();
    }

    private static Schema optional(Schema struct) {
        SchemaBuilder builder = SchemaBuilder.struct().name(struct.name()).optional();
        struct.fields().forEach(f -> builder.field(f.name(), f.schema()));
        return builder.build();
    }

    private static Struct key() {
        return new Struct(STRING_KEY).put("code", "42");
    }

    private static Struct row(String amount, String free, String price, List<String> ratios) {
        return new Struct(STRING_ROW).put("code", "42").put("amount", amount).put("free", free).put("price", price)
                .put("ratios", ratios).put("note", "good").put("__table", "orders");
    }

    private static SourceRecord record(Struct row) {
        return new SourceRecord(PARTITION, OFFSET, "bronze.pg.orders", null, STRING_KEY, key(), STRING_ROW, row);
    }

    private static PreciseDecimals<SourceRecord> transform(String mode) {
        PreciseDecimals<SourceRecord> transform = new PreciseDecimals<>();
        transform.configure(Map.of("on.failure", mode));
        return transform;
    }

    private static String header(SourceRecord record, String name) {
        return (String) record.headers().lastWithName(name).value();
    }
}
