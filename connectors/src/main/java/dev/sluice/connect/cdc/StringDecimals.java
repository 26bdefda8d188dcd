package dev.sluice.connect.cdc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The schemas and values Debezium's PostgreSQL connector produces with {@code decimal.handling.mode=precise}, made
 * from those it produces with {@code string} and {@code datatype.propagate.source.type} matching the numeric types:
 * a string field whose schema names its column type NUMERIC, DECIMAL or MONEY (and an array of them, _NUMERIC)
 * becomes the precise mode's field, the propagated {@code __debezium.source.column.*} parameters removed.
 *
 * <ul>
 *   <li>numeric(p,s): Connect's {@code Decimal} of scale s with parameter {@code connect.decimal.precision} p;</li>
 *   <li>numeric without precision: Debezium's {@code io.debezium.data.VariableScaleDecimal} struct (scale and
 *       unscaled value, trailing zeros stripped);</li>
 *   <li>money: a {@code Decimal} of the money fraction digits.</li>
 * </ul>
 *
 * The schemas are built here rather than with Debezium's classes: the Debezium plugin and this one have class
 * loaders of their own on a worker.
 */
final class StringDecimals {

    static final String SOURCE_PARAMETER_PREFIX = "__debezium.source.column.";
    static final String SOURCE_TYPE = SOURCE_PARAMETER_PREFIX + "type";
    static final String SOURCE_LENGTH = SOURCE_PARAMETER_PREFIX + "length";
    static final String SOURCE_SCALE = SOURCE_PARAMETER_PREFIX + "scale";
    static final String PRECISION_PARAMETER = "connect.decimal.precision";
    static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

    /** The length Debezium's PostgreSQL connector reports for a numeric without precision. */
    private static final int VARIABLE_SCALE_LENGTH = 131089;
    /** Debezium's length of a column that reports none (Column.UNSET_INT_VALUE). */
    private static final int UNSET_LENGTH = -1;
    private static final Set<String> DECIMAL_TYPES = Set.of("NUMERIC", "DECIMAL");
    private static final String MONEY_TYPE = "MONEY";
    private static final String DECIMAL_ARRAY_TYPE = "_NUMERIC";

    private final int moneyFractionDigits;
    /** Stands in the cache for "no decimal column": the schema to use is then the record's own instance. */
    private static final Schema UNCHANGED = SchemaBuilder.struct().name("unchanged").build();

    /**
     * Rebuilt schemas by original: every record of a table has an equal schema, though not always the same
     * instance.
     */
    private final Cache<Schema, Schema> rebuilt = new SynchronizedCache<>(new LRUCache<>(256));

    StringDecimals(int moneyFractionDigits) {
        this.moneyFractionDigits = moneyFractionDigits;
    }

    /** The precise mode's schema of {@code schema}; the same instance when it has no decimal column. */
    Schema schema(Schema schema) {
        if (schema == null) {
            return null;
        }
        Schema known = rebuilt.get(schema);
        if (known == null) {
            Schema built = build(schema);
            known = built == schema ? UNCHANGED : built;
            rebuilt.put(schema, known);
        }
        return known == UNCHANGED ? schema : known;
    }

    /**
     * {@code value} of schema {@code from} as a value of {@code to = schema(from)}.
     *
     * @throws DataException naming the column, when a decimal column holds a value no decimal can hold
     */
    Object value(Schema from, Schema to, Object value) {
        return value(from, to, value, null);
    }

    private Object value(Schema from, Schema to, Object value, String column) {
        if (value == null || from == to) {
            return value;
        }
        switch (from.type()) {
            case STRUCT -> {
                Struct in = (Struct) value;
                Struct out = new Struct(to);
                for (Field field : to.fields()) {
                    Schema fieldFrom = from.field(field.name()).schema();
                    out.put(field, value(fieldFrom, field.schema(), in.get(field.name()), field.name()));
                }
                return out;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    out.add(value(from.valueSchema(), to.valueSchema(), item, column));
                }
                return out;
            }
            case STRING -> {
                return to.type() == Schema.Type.STRING ? value : decimal(to, (String) value, column);
            }
            default -> {
                return value;
            }
        }
    }

    private Schema build(Schema schema) {
        return switch (schema.type()) {
            case STRUCT -> struct(schema);
            case ARRAY -> DECIMAL_ARRAY_TYPE.equals(sourceType(schema)) && schema.valueSchema().type() == Schema.Type.STRING
                    ? finish(schema, SchemaBuilder.array(decimalBuilder(schema).optional().build()), null)
                    : schema;
            case STRING -> isDecimal(schema) ? finish(schema, decimalBuilder(schema), schema.defaultValue()) : schema;
            default -> schema;
        };
    }

    private Schema struct(Schema schema) {
        List<Field> fields = schema.fields();
        List<Schema> schemas = new ArrayList<>(fields.size());
        boolean changed = false;
        for (Field field : fields) {
            Schema fieldSchema = schema(field.schema());
            changed |= fieldSchema != field.schema();
            schemas.add(fieldSchema);
        }
        if (!changed) {
            return schema;
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        if (schema.isOptional()) {
            builder.optional();
        }
        for (int i = 0; i < fields.size(); i++) {
            builder.field(fields.get(i).name(), schemas.get(i));
        }
        return builder.build();
    }

    private static boolean isDecimal(Schema schema) {
        String type = sourceType(schema);
        return type != null && (DECIMAL_TYPES.contains(type) || MONEY_TYPE.equals(type));
    }

    private static String sourceType(Schema schema) {
        String type = schema.parameters() == null ? null : schema.parameters().get(SOURCE_TYPE);
        return type == null ? null : type.toUpperCase(Locale.ROOT);
    }

    /** As PostgresValueConverter builds the schema of the column in precise mode. */
    private SchemaBuilder decimalBuilder(Schema column) {
        if (MONEY_TYPE.equals(sourceType(column))) {
            return Decimal.builder(moneyFractionDigits);
        }
        Map<String, String> parameters = column.parameters();
        int length = parameters.containsKey(SOURCE_LENGTH) ? Integer.parseInt(parameters.get(SOURCE_LENGTH))
                : UNSET_LENGTH;
        int scale = parameters.containsKey(SOURCE_SCALE) ? Integer.parseInt(parameters.get(SOURCE_SCALE)) : 0;
        if ((length == 0 || length == VARIABLE_SCALE_LENGTH) && scale == 0) {
            return SchemaBuilder.struct().name(VARIABLE_SCALE_DECIMAL).version(1).doc("Variable scaled decimal")
                    .field("scale", Schema.INT32_SCHEMA)
                    .field("value", Schema.BYTES_SCHEMA);
        }
        return Decimal.builder(scale).parameter(PRECISION_PARAMETER, Integer.toString(length));
    }

    /** The column's optionality, doc, own parameters and default on the precise schema. */
    private Schema finish(Schema column, SchemaBuilder builder, Object defaultValue) {
        if (column.parameters() != null) {
            column.parameters().forEach((key, value) -> {
                if (!key.startsWith(SOURCE_PARAMETER_PREFIX)) {
                    builder.parameter(key, value);
                }
            });
        }
        if (column.doc() != null) {
            builder.doc(column.doc());
        }
        if (column.isOptional()) {
            builder.optional();
        }
        Schema withoutDefault = builder.build();
        if (defaultValue == null || !Decimal.LOGICAL_NAME.equals(withoutDefault.name())) {
            return withoutDefault;
        }
        try {
            return builder.defaultValue(decimal(withoutDefault, (String) defaultValue, "default")).build();
        } catch (DataException e) {
            // A default of 'NaN' cannot be a decimal's either: the column has none in precise mode.
            return withoutDefault;
        }
    }

    /**
     * PostgreSQL's spelling of a special value, for the reason: Debezium's string mode writes them with the names of
     * its SpecialValueDecimal constants (NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY).
     */
    private static String postgresText(String text) {
        return switch (text) {
            case "NAN" -> "NaN";
            case "POSITIVE_INFINITY" -> "Infinity";
            case "NEGATIVE_INFINITY" -> "-Infinity";
            default -> text;
        };
    }

    private static Object decimal(Schema to, String text, String column) {
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new DataException(column + ": '" + postgresText(text) + "' has no decimal representation");
        }
        if (VARIABLE_SCALE_DECIMAL.equals(to.name())) {
            BigDecimal stripped = decimal.stripTrailingZeros();
            if (stripped.scale() < 0) {
                stripped = stripped.setScale(0);
            }
            return new Struct(to).put("scale", stripped.scale()).put("value", stripped.unscaledValue().toByteArray());
        }
        int scale = Integer.parseInt(to.parameters().get(Decimal.SCALE_FIELD));
        try {
            return decimal.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new DataException(column + ": '" + text + "' has more fractional digits than the column's scale "
                    + scale);
        }
    }
}
