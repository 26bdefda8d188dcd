package dev.sluice.app.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads typed values out of generic Avro records as the sources write them: Debezium and Connect decimals as bytes
 * with a scale, timestamps as ISO-8601 strings (Debezium's ZonedTimestamp) or epoch numbers with a logical type.
 */
public final class FieldValues {

    private FieldValues() {
    }

    /** The field's value, or null when the schema has no such field. */
    public static Object get(GenericRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        return f == null ? null : record.get(f.pos());
    }

    /** The field's schema with a nullable union unwrapped; null when there is no such field. */
    public static Schema schemaOf(GenericRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        if (f == null) {
            return null;
        }
        Schema schema = f.schema();
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }

    public static String string(GenericRecord record, String field) {
        Object value = get(record, field);
        return value == null ? null : value.toString();
    }

    public static Long longValue(GenericRecord record, String field) {
        Object value = get(record, field);
        if (value == null) {
            return null;
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException(field + " is not a whole number");
    }

    public static Integer intValue(GenericRecord record, String field) {
        Long value = longValue(record, field);
        if (value == null) {
            return null;
        }
        return Math.toIntExact(value);
    }

    /** A decimal held as Avro bytes or fixed with a decimal logical type (or Connect's {@code scale} property). */
    public static BigDecimal decimal(GenericRecord record, String field) {
        Object value = get(record, field);
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        Schema schema = schemaOf(record, field);
        byte[] bytes;
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            bytes = new byte[copy.remaining()];
            copy.get(bytes);
        } else if (value instanceof GenericFixed fixed) {
            bytes = fixed.bytes();
        } else {
            throw new IllegalArgumentException(field + " is not a decimal");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(field + " is an empty decimal");
        }
        return new BigDecimal(new BigInteger(bytes), scale(schema, field));
    }

    private static int scale(Schema schema, String field) {
        LogicalType logical = LogicalTypes.fromSchemaIgnoreInvalid(schema);
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return decimal.getScale();
        }
        Object scale = schema.getObjectProp("scale");
        if (scale == null) {
            throw new IllegalArgumentException(field + " has no decimal scale in its schema");
        }
        return Integer.parseInt(scale.toString());
    }

    /**
     * A point in time held as an ISO-8601 string with offset, or as a number with a timestamp-millis/micros logical
     * type (a plain long counts as epoch milliseconds).
     */
    public static Instant timestamp(GenericRecord record, String field) {
        Object value = get(record, field);
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof CharSequence text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " is not an ISO-8601 timestamp with offset");
            }
        }
        if (value instanceof Long || value instanceof Integer) {
            long number = ((Number) value).longValue();
            LogicalType logical = LogicalTypes.fromSchemaIgnoreInvalid(schemaOf(record, field));
            if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
                return Instant.ofEpochSecond(Math.floorDiv(number, 1_000_000L), Math.floorMod(number, 1_000_000L) * 1000);
            }
            return Instant.ofEpochMilli(number);
        }
        throw new IllegalArgumentException(field + " is not a timestamp");
    }

    public static Boolean bool(GenericRecord record, String field) {
        Object value = get(record, field);
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException(field + " is not a boolean");
    }
}
