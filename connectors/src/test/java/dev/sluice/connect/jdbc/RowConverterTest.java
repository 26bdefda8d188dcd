package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Types;
import java.util.List;
import java.util.OptionalInt;
import java.util.TimeZone;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class RowConverterTest {

    private static final TypeMapper MAPPER = new TypeMapper(TimeZone.getTimeZone("UTC"));
    private static final List<ColumnDescriptor> COLUMNS = List.of(
            new ColumnDescriptor("id", Types.BIGINT, "int8", 19, 0, false, true),
            new ColumnDescriptor("code", Types.VARCHAR, "varchar", 3, 0, false, true),
            new ColumnDescriptor("rate", Types.NUMERIC, "numeric", 18, 8, true, true));

    @Test
    void valueSchemaHasOneFieldPerColumnInOrder() {
        RowConverter converter = RowConverter.create(COLUMNS, MAPPER, "exchange_rates", List.of());
        Schema value = converter.valueSchema();
        assertEquals("exchange_rates", value.name());
        assertEquals(List.of("id", "code", "rate"), value.fields().stream().map(f -> f.name()).toList());
        assertNull(converter.keySchema(), "no key columns, no key");
        assertNull(converter.key(new Struct(value).put("id", 1L).put("code", "EUR")));
    }

    @Test
    void keyIsAStructOfTheKeyColumns() {
        RowConverter converter = RowConverter.create(COLUMNS, MAPPER, "exchange_rates", List.of("CODE", "id"));
        assertEquals("exchange_rates.Key", converter.keySchema().name());
        Struct value = new Struct(converter.valueSchema()).put("id", 5L).put("code", "EUR");
        Struct key = converter.key(value);
        assertEquals("EUR", key.get("code"));
        assertEquals(5L, key.get("id"));
        assertEquals(List.of("code", "id"), key.schema().fields().stream().map(f -> f.name()).toList());
    }

    @Test
    void missingKeyColumnOrDuplicateColumnIsAnError() {
        assertThrows(DataException.class, () -> RowConverter.create(COLUMNS, MAPPER, "t", List.of("nope")));
        List<ColumnDescriptor> duplicate = List.of(COLUMNS.get(0), COLUMNS.get(0));
        DataException e = assertThrows(DataException.class,
                () -> RowConverter.create(duplicate, MAPPER, "t", List.of()));
        assertTrue(e.getMessage().contains("two columns named 'id'"), e.getMessage());
    }

    @Test
    void columnLookupPrefersExactCaseThenUniqueCaseInsensitiveMatch() {
        List<ColumnDescriptor> mixed = List.of(
                new ColumnDescriptor("Id", Types.BIGINT, "int8", 19, 0, false, true),
                new ColumnDescriptor("id", Types.BIGINT, "int8", 19, 0, false, true),
                new ColumnDescriptor("Name", Types.VARCHAR, "varchar", 9, 0, true, true));
        assertEquals(OptionalInt.of(1), RowConverter.indexOf(mixed, "id"));
        assertEquals(OptionalInt.of(2), RowConverter.indexOf(mixed, "NAME"));
        assertEquals(OptionalInt.empty(), RowConverter.indexOf(mixed, "ID"), "ambiguous ignoring case");
        assertEquals(OptionalInt.empty(), RowConverter.indexOf(mixed, "missing"));
    }

    @Test
    void schemaNamesAreValidAvroNames() {
        assertEquals("exchange_rates", RowConverter.schemaName("exchange_rates"));
        assertEquals("bronze_warehouse_rates", RowConverter.schemaName("bronze.warehouse-rates"));
        assertEquals("_2026_sales", RowConverter.schemaName("2026 sales"));
    }
}
