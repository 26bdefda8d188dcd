package dev.sluice.app.dataset.pipeline;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.silver.PiiAction;
import dev.sluice.app.validate.EntityRules;
import dev.sluice.app.validate.FieldRule;
import dev.sluice.app.validate.FieldType;
import dev.sluice.app.validate.FieldValues;

/**
 * Derives a dataset's silver schema from a bronze writer schema (docs/datasets.md, "Silver schemas"), and how to
 * fill it. Pure: the same bronze schema and specification always give the same silver schema.
 * <ul>
 * <li>Every bronze field in order, renamed as {@code silver.rename} says, except Debezium's metadata ({@code __*}).
 * A field is required in silver when it is in bronze or when the validation rules require it; otherwise it is
 * optional ({@code ["null", T]}, default null).</li>
 * <li>Timestamps (a timestamp logical type, Debezium's and Connect's timestamp types, or {@code type: timestamp}
 * in the rules) become {@code timestamp-millis}, cut to the millisecond; decimals keep precision and scale as a
 * plain {@code decimal} logical type; other types stay, without the converters' {@code connect.*} properties.</li>
 * <li>A PII field (string only) becomes an optional string holding what its action leaves.</li>
 * <li>Then the CDC metadata present in bronze: {@code deleted} (boolean, default false; {@code __deleted} is
 * "true" or {@code __op} is d), {@code op} (string; r when absent), {@code source_lsn} (optional long) and
 * {@code source_ts} (optional timestamp-millis from {@code __source_ts_ms}); then {@code silver.received-at}, the
 * bronze Kafka timestamp, if asked for.</li>
 * </ul>
 */
public final class SilverSchemaDerivation {

    static final String OP = "__op";
    static final String LSN = "__lsn";
    static final String SOURCE_TS = "__source_ts_ms";
    static final String DELETED = "__deleted";
    private static final String METADATA_PREFIX = "__";
    private static final Set<String> TIMESTAMP_CONNECT_NAMES = Set.of("io.debezium.time.ZonedTimestamp",
            "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp",
            "org.apache.kafka.connect.data.Timestamp");
    private static final String CONNECT_NAME = "connect.name";

    private SilverSchemaDerivation() {
    }

    /**
     * @param rules the dataset's validation rules (which fields are required, which are timestamps)
     * @throws UnderivableSchemaException naming the field that cannot be carried
     */
    public static SilverShape derive(Schema bronze, DatasetSpec spec, EntityRules rules) {
        if (bronze.getType() != Schema.Type.RECORD) {
            throw new UnderivableSchemaException("the bronze value is not a record but " + bronze.getType());
        }
        Map<String, FieldRule> fieldRules = new HashMap<>();
        rules.fields().forEach(rule -> fieldRules.put(rule.field(), rule));
        for (String field : spec.pii().keySet()) {
            if (bronze.getField(field) == null) {
                throw new UnderivableSchemaException("pii." + field + ": the bronze schema has no field " + field);
            }
        }
        List<Schema.Field> fields = new ArrayList<>();
        List<SilverColumn> columns = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Schema.Field field : bronze.getFields()) {
            if (field.name().startsWith(METADATA_PREFIX)) {
                continue;
            }
            String name = spec.silver().rename().getOrDefault(field.name(), field.name());
            add(names, name, field.name());
            PiiAction pii = spec.pii().get(field.name());
            if (pii != null) {
                fields.add(optional(name, Schema.create(Schema.Type.STRING)));
                columns.add(piiColumn(field, pii));
                continue;
            }
            FieldRule rule = fieldRules.get(field.name());
            Schema type = nonNull(field.schema());
            if (type.getType() == Schema.Type.UNION) {
                // A union of several types is carried as it is: it cannot be nested in an optional one.
                fields.add(new Schema.Field(name, field.schema(), null,
                        field.hasDefaultValue() ? field.defaultVal() : null));
                columns.add(valueColumn(field.name(), field.schema()));
                continue;
            }
            boolean required = !isOptional(field.schema()) || rule != null && rule.required();
            boolean timestamp = isTimestamp(type) || rule != null && rule.type() == FieldType.TIMESTAMP;
            Schema silverType = timestamp ? timestampMillis() : plain(type, field.name());
            fields.add(required ? new Schema.Field(name, silverType, null, defaultOf(field, type, silverType))
                    : optional(name, silverType));
            columns.add(timestamp ? timestampColumn(field.name(), type) : valueColumn(field.name(), silverType));
        }
        if (bronze.getField(DELETED) != null || bronze.getField(OP) != null) {
            add(names, "deleted", DELETED);
            fields.add(new Schema.Field("deleted", Schema.create(Schema.Type.BOOLEAN), null, false));
            columns.add((v, t, p) -> "true".equals(FieldValues.string(v, DELETED)) || "d".equals(op(v)));
        }
        if (bronze.getField(OP) != null) {
            add(names, "op", OP);
            fields.add(new Schema.Field("op", Schema.create(Schema.Type.STRING)));
            columns.add((v, t, p) -> op(v));
        }
        if (bronze.getField(LSN) != null) {
            add(names, "source_lsn", LSN);
            fields.add(optional("source_lsn", Schema.create(Schema.Type.LONG)));
            columns.add((v, t, p) -> FieldValues.longValue(v, LSN));
        }
        if (bronze.getField(SOURCE_TS) != null) {
            add(names, "source_ts", SOURCE_TS);
            fields.add(optional("source_ts", timestampMillis()));
            columns.add((v, t, p) -> FieldValues.longValue(v, SOURCE_TS));
        }
        spec.silver().receivedAt().ifPresent(name -> {
            add(names, name, "silver.received-at");
            fields.add(new Schema.Field(name, timestampMillis()));
            columns.add((v, timestamp, p) -> timestamp);
        });
        String fullName = spec.silver().schemaName();
        int dot = fullName.lastIndexOf('.');
        Schema silver = Schema.createRecord(fullName.substring(dot + 1), null,
                dot < 0 ? null : fullName.substring(0, dot), false);
        silver.setFields(fields);
        return new SilverShape(silver, columns);
    }

    private static void add(Set<String> names, String name, String from) {
        if (!names.add(name)) {
            throw new UnderivableSchemaException("two silver columns named " + name + " (the second from " + from
                    + "); rename one in silver.rename");
        }
    }

    private static String op(GenericRecord value) {
        String op = FieldValues.string(value, OP);
        return op == null ? "r" : op;
    }

    private static SilverColumn piiColumn(Schema.Field field, PiiAction action) {
        if (nonNull(field.schema()).getType() != Schema.Type.STRING) {
            throw new UnderivableSchemaException("pii." + field.name() + ": only string fields can be protected, "
                    + field.name() + " is " + nonNull(field.schema()).getType().getName());
        }
        String name = field.name();
        return (v, t, pii) -> pii.protect(action, FieldValues.string(v, name));
    }

    private static SilverColumn timestampColumn(String field, Schema type) {
        String connectName = type.getProp(CONNECT_NAME);
        if ("io.debezium.time.MicroTimestamp".equals(connectName)) {
            return (v, t, p) -> {
                Long micros = FieldValues.longValue(v, field);
                return micros == null ? null : Math.floorDiv(micros, 1000L);
            };
        }
        if ("io.debezium.time.NanoTimestamp".equals(connectName)) {
            return (v, t, p) -> {
                Long nanos = FieldValues.longValue(v, field);
                return nanos == null ? null : Math.floorDiv(nanos, 1_000_000L);
            };
        }
        return (v, t, p) -> {
            Instant time = FieldValues.timestamp(v, field);
            return time == null ? null : time.toEpochMilli();
        };
    }

    private static SilverColumn valueColumn(String field, Schema silverType) {
        if (silverType.getType() == Schema.Type.BYTES
                && silverType.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            int scale = decimal.getScale();
            return (v, t, p) -> {
                BigDecimal value = FieldValues.decimal(v, field);
                return value == null ? null
                        : ByteBuffer.wrap(value.setScale(scale, RoundingMode.HALF_EVEN).unscaledValue().toByteArray());
            };
        }
        return (v, t, p) -> FieldValues.get(v, field);
    }

    /** The type without the converters' properties; decimals as a plain decimal logical type. */
    private static Schema plain(Schema type, String field) {
        switch (type.getType()) {
            case RECORD, ENUM, FIXED, ARRAY, MAP:
                return type;
            default:
                break;
        }
        LogicalType logical = LogicalTypes.fromSchemaIgnoreInvalid(type);
        Schema plain = Schema.create(type.getType());
        if (type.getType() == Schema.Type.BYTES && (logical instanceof LogicalTypes.Decimal
                || type.getObjectProp("scale") != null)) {
            decimal(type, logical, field).addToSchema(plain);
        } else if (logical != null) {
            logical.addToSchema(plain);
        }
        return plain;
    }

    private static LogicalTypes.Decimal decimal(Schema type, LogicalType logical, String field) {
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return LogicalTypes.decimal(decimal.getPrecision(), decimal.getScale());
        }
        int scale = Integer.parseInt(type.getObjectProp("scale").toString());
        Object parameters = type.getObjectProp("connect.parameters");
        if (parameters instanceof Map<?, ?> map && map.get("connect.decimal.precision") != null) {
            return LogicalTypes.decimal(Integer.parseInt(map.get("connect.decimal.precision").toString()), scale);
        }
        throw new UnderivableSchemaException(field + ": a decimal without precision in the bronze schema");
    }

    /** The bronze default where the type is carried as it is (a CDC column with a default); none otherwise. */
    private static Object defaultOf(Schema.Field field, Schema bronzeType, Schema silverType) {
        if (!field.hasDefaultValue() || isOptional(field.schema()) || !bronzeType.equals(silverType)) {
            return null;
        }
        return field.defaultVal();
    }

    private static Schema.Field optional(String name, Schema type) {
        return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), type), null,
                JsonProperties.NULL_VALUE);
    }

    private static Schema timestampMillis() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static boolean isTimestamp(Schema type) {
        LogicalType logical = LogicalTypes.fromSchemaIgnoreInvalid(type);
        return logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros
                || logical instanceof LogicalTypes.LocalTimestampMillis
                || logical instanceof LogicalTypes.LocalTimestampMicros
                || type.getProp(CONNECT_NAME) != null && TIMESTAMP_CONNECT_NAMES.contains(type.getProp(CONNECT_NAME));
    }

    private static boolean isOptional(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    /** {@code ["null", T]} as T; any other schema as it is. */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            if (branches.size() == 1) {
                return branches.get(0);
            }
        }
        return schema;
    }
}
