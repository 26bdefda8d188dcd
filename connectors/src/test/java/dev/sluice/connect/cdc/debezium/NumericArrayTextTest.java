package dev.sluice.connect.cdc.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.relational.Column;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.TableId;
import io.debezium.relational.ValueConverter;
import io.debezium.spi.converter.ConvertedField;
import io.debezium.spi.converter.CustomConverter;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.PgArray;

/**
 * The converter through Debezium's own registry of custom converters, on the PostgreSQL driver's unparsed array
 * (what Debezium's snapshot and its pgoutput decoding hand to a column's converter).
 */
class NumericArrayTextTest {

    private static final int NUMERIC_ARRAY_OID = 1231;
    private static final TableId TABLE = new TableId("shop", "public", "prices");
    private static final Column RATIOS = Column.editor().name("ratios").type("_numeric").jdbcType(Types.ARRAY)
            .nativeType(NUMERIC_ARRAY_OID).length(5).scale(2).optional(true).create();
    private static final Column AMOUNT = Column.editor().name("amount").type("numeric").jdbcType(Types.NUMERIC)
            .length(12).scale(2).optional(true).create();

    private final CustomConverterRegistry registry = new CustomConverterRegistry(List.of(loadedAsDebeziumDoes()));

    @Test
    void aNumericArrayGetsTheSchemaOfDebeziumsStringMode() {
        SchemaBuilder schema = registry.registerConverterFor(TABLE, RATIOS, null).orElseThrow();
        // What PostgresValueConverter builds for numeric[] with decimal.handling.mode=string.
        assertEquals(SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build(), schema.build());
    }

    @Test
    void otherColumnsKeepDebeziumsConversion() {
        assertTrue(registry.registerConverterFor(TABLE, AMOUNT, null).isEmpty());
    }

    @Test
    void specialValuesAndNullsArriveAsPostgresWritesThem() throws Exception {
        assertEquals(Arrays.asList("1.50", null, "NaN", "Infinity", "-Infinity"),
                convert("{1.50,NULL,NaN,Infinity,-Infinity}"));
    }

    @Test
    void emptyAndBoundedArrays() throws Exception {
        assertEquals(List.of(), convert("{}"));
        assertEquals(List.of("1", "2.5"), convert("[0:1]={1,2.5}"));
    }

    @Test
    void subArraysOfATwoDimensionalArrayAreNullElementsAsInDebeziumsOwnConversion() throws Exception {
        assertEquals(Arrays.asList(null, null), convert("{{1,2},{3,NaN}}"));
    }

    @Test
    void aNullColumnStaysNull() {
        registry.registerConverterFor(TABLE, RATIOS, null);
        assertNull(registry.getValueConverter(TABLE, RATIOS).orElseThrow().convert(null));
    }

    /** Debezium instantiates a converter from its class name and takes it as a converter of any field, unchecked. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static CustomConverter<SchemaBuilder, ConvertedField> loadedAsDebeziumDoes() {
        return (CustomConverter) new NumericArrayText();
    }

    private Object convert(String arrayText) throws Exception {
        registry.registerConverterFor(TABLE, RATIOS, null);
        ValueConverter converter = registry.getValueConverter(TABLE, RATIOS).orElseThrow();
        return converter.convert(new PgArray(null, NUMERIC_ARRAY_OID, arrayText));
    }
}
