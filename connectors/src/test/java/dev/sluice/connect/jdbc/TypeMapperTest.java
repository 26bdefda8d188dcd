package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Types;
import java.util.TimeZone;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/** Type mapping decided on metadata alone, as PostgreSQL's and other drivers report it. */
class TypeMapperTest {

    private final TypeMapper mapper = new TypeMapper(TimeZone.getTimeZone("UTC"));

    private static ColumnDescriptor column(int jdbcType, String typeName, int precision, int scale) {
        return new ColumnDescriptor("c", jdbcType, typeName, precision, scale, true, true);
    }

    private Schema schemaOf(int jdbcType, String typeName, int precision, int scale) {
        return mapper.map(column(jdbcType, typeName, precision, scale)).schema();
    }

    @Test
    void integersKeepTheirSize() {
        assertEquals(Schema.Type.INT8, schemaOf(Types.TINYINT, "tinyint", 3, 0).type());
        assertEquals(Schema.Type.INT16, schemaOf(Types.SMALLINT, "int2", 5, 0).type());
        assertEquals(Schema.Type.INT32, schemaOf(Types.INTEGER, "int4", 10, 0).type());
        assertEquals(Schema.Type.INT64, schemaOf(Types.BIGINT, "int8", 19, 0).type());
    }

    @Test
    void unsignedIntegersWidenSoNoValueOverflows() {
        ColumnDescriptor unsignedInt = new ColumnDescriptor("c", Types.INTEGER, "INT UNSIGNED", 10, 0, true, false);
        assertEquals(Schema.Type.INT64, mapper.map(unsignedInt).schema().type());
        ColumnDescriptor unsignedBig = new ColumnDescriptor("c", Types.BIGINT, "BIGINT UNSIGNED", 20, 0, true, false);
        Schema big = mapper.map(unsignedBig).schema();
        assertEquals(Decimal.LOGICAL_NAME, big.name());
        assertEquals("0", big.parameters().get(Decimal.SCALE_FIELD));
    }

    @Test
    void floatsKeepTheirPrecision() {
        assertEquals(Schema.Type.FLOAT32, schemaOf(Types.REAL, "float4", 8, 8).type());
        assertEquals(Schema.Type.FLOAT64, schemaOf(Types.DOUBLE, "float8", 17, 17).type());
        assertEquals(Schema.Type.FLOAT64, schemaOf(Types.FLOAT, "float", 17, 17).type());
    }

    @Test
    void declaredDecimalsBecomeTheDecimalLogicalTypeWithScaleAndPrecision() {
        Schema schema = schemaOf(Types.NUMERIC, "numeric", 12, 4);
        assertEquals(Decimal.LOGICAL_NAME, schema.name());
        assertEquals(Schema.Type.BYTES, schema.type());
        assertEquals("4", schema.parameters().get(Decimal.SCALE_FIELD));
        assertEquals("12", schema.parameters().get(TypeMapper.DECIMAL_PRECISION_PARAMETER));
        assertEquals(Decimal.LOGICAL_NAME, schemaOf(Types.DECIMAL, "decimal", 5, 0).name());
    }

    @Test
    void numericWithoutDeclaredPrecisionBecomesAnExactString() {
        assertEquals(Schema.Type.STRING, schemaOf(Types.NUMERIC, "numeric", 0, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.NUMERIC, "numeric", 131089, 0).type(),
                "older PostgreSQL drivers report 131089 for unconstrained numeric");
        assertEquals(Schema.Type.STRING, schemaOf(Types.NUMERIC, "NUMBER", 0, -127).type(), "Oracle bare NUMBER");
        assertNull(schemaOf(Types.NUMERIC, "numeric", 0, 0).name());
    }

    @Test
    void booleansIncludingPostgresBitOne() {
        assertEquals(Schema.Type.BOOLEAN, schemaOf(Types.BOOLEAN, "boolean", 1, 0).type());
        assertEquals(Schema.Type.BOOLEAN, schemaOf(Types.BIT, "bool", 1, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.BIT, "bit", 8, 0).type(), "bit(8) is a bit string");
    }

    @Test
    void textOfEveryKindIsAString() {
        for (int type : new int[] {Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR,
                Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB}) {
            assertEquals(Schema.Type.STRING, schemaOf(type, "text", 10, 0).type(), "jdbc type " + type);
        }
    }

    @Test
    void binaryIsBytes() {
        assertEquals(Schema.Type.BYTES, schemaOf(Types.BINARY, "bytea", 0, 0).type());
        assertEquals(Schema.Type.BYTES, schemaOf(Types.VARBINARY, "varbinary", 16, 0).type());
        assertEquals(Schema.Type.BYTES, schemaOf(Types.LONGVARBINARY, "image", 0, 0).type());
        assertEquals(Schema.Type.BYTES, schemaOf(Types.BLOB, "blob", 0, 0).type());
        assertNull(schemaOf(Types.BINARY, "bytea", 0, 0).name(), "bytes, not a decimal");
    }

    @Test
    void temporalTypesUseConnectLogicalTypes() {
        assertEquals(Date.LOGICAL_NAME, schemaOf(Types.DATE, "date", 13, 0).name());
        assertEquals(Time.LOGICAL_NAME, schemaOf(Types.TIME, "time", 15, 6).name());
        assertEquals(Timestamp.LOGICAL_NAME, schemaOf(Types.TIMESTAMP, "timestamp", 29, 6).name());
        assertEquals(Timestamp.LOGICAL_NAME, schemaOf(Types.TIMESTAMP, "timestamptz", 35, 6).name());
        assertEquals(Timestamp.LOGICAL_NAME, schemaOf(Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP WITH TIME ZONE",
                35, 6).name());
    }

    @Test
    void timeWithZoneHasNoConnectTypeAndBecomesAString() {
        Schema pg = schemaOf(Types.TIME, "timetz", 21, 6);
        assertEquals(Schema.Type.STRING, pg.type());
        assertNull(pg.name());
        assertEquals(Schema.Type.STRING, schemaOf(Types.TIME_WITH_TIMEZONE, "TIME WITH TIME ZONE", 0, 0).type());
    }

    @Test
    void uuidJsonMoneyAndOtherTypesBecomeStrings() {
        assertEquals(Schema.Type.STRING, schemaOf(Types.OTHER, "uuid", 2147483647, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.OTHER, "jsonb", 2147483647, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.OTHER, "json", 2147483647, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.SQLXML, "xml", 0, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.ARRAY, "_int4", 0, 0).type());
        assertEquals(Schema.Type.STRING, schemaOf(Types.DOUBLE, "money", 0, 0).type(),
                "PostgreSQL money is reported as DOUBLE but reads as text like $1.00");
    }

    @Test
    void onlyNotNullColumnsAreRequired() {
        ColumnDescriptor notNull = new ColumnDescriptor("id", Types.BIGINT, "int8", 19, 0, false, true);
        ColumnDescriptor nullable = new ColumnDescriptor("note", Types.VARCHAR, "varchar", 50, 0, true, true);
        assertFalse(mapper.map(notNull).schema().isOptional());
        assertTrue(mapper.map(nullable).schema().isOptional());
        assertTrue(mapper.map(new ColumnDescriptor("n", Types.NULL, "null", 0, 0, false, true)).schema().isOptional(),
                "a NULL-typed column can only hold nulls");
    }

    @Test
    void fieldIsNamedAfterTheColumnLabel() {
        ColumnDescriptor col = new ColumnDescriptor("Rate EUR", Types.NUMERIC, "numeric", 10, 4, true, true);
        assertEquals("Rate EUR", mapper.map(col).fieldName());
    }
}
