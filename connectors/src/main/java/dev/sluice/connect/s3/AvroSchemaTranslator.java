package dev.sluice.connect.s3;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Translates a Connect value schema into the Avro schema of a new file: structs become records, optional schemas
 * {@code ["null", T]} unions, Decimal/Date/Time/Timestamp the matching Avro logical types, maps with string keys Avro
 * maps and other maps arrays of key/value records. A value that is not a struct becomes a record with one field
 * {@code value} ({@link #structView}). The {@link SinkColumns} follow the value's columns; with delete markers the
 * top-level value columns are nullable, since a tombstone's row has null in each.
 */
final class AvroSchemaTranslator {

    static final String WRAPPED_VALUE_FIELD = "value";
    /** Decimal precision assumed when the Connect schema does not say (Parquet's usual maximum). */
    private static final int DEFAULT_DECIMAL_PRECISION = 38;
    private static final String CONNECT_DECIMAL_PRECISION = "connect.decimal.precision";
    private static final String DEFAULT_RECORD_NAME = "Value";

    private final SinkColumns sinkColumns;
    /** Full record name to the schema of files opened by a tombstone. */
    private final Map<String, Schema> markerSchemas = new HashMap<>();

    AvroSchemaTranslator(SinkColumns sinkColumns) {
        this.sinkColumns = sinkColumns;
    }

    /**
     * The Avro schema for a file started by a record of {@code struct}, a {@link #structView}.
     *
     * @throws DataException if the schema has no Avro/Parquet form (e.g. a struct without fields)
     */
    Schema translate(org.apache.kafka.connect.data.Schema struct) {
        return new Translation().topLevel(struct);
    }

    /** The schema itself if it is a struct, else the one-field struct that wraps it. */
    static org.apache.kafka.connect.data.Schema structView(org.apache.kafka.connect.data.Schema valueSchema) {
        if (valueSchema.type() == org.apache.kafka.connect.data.Schema.Type.STRUCT) {
            return valueSchema;
        }
        return SchemaBuilder.struct().name(DEFAULT_RECORD_NAME).field(WRAPPED_VALUE_FIELD, valueSchema).build();
    }

    /**
     * The schema of a file that a tombstone opens (no file of its path is open): only the sink's columns, under the
     * record name of {@code like} (the last file schema of the topic partition, null if none), so that compaction
     * merges it with the topic's data files of that hour. A data record later in the same path rolls it, since its
     * value columns are not in it; which columns a file has must not depend on records before the file, or a replay
     * could roll at other points than the crashed run (see the docs).
     */
    Schema markerSchema(Schema like) {
        String fullName = like == null ? DEFAULT_RECORD_NAME : like.getFullName();
        return markerSchemas.computeIfAbsent(fullName, n -> Schema.createRecord(
                like == null ? DEFAULT_RECORD_NAME : like.getName(), null, like == null ? null : like.getNamespace(),
                false, sinkColumns.fields()));
    }

    /** Builds one Avro schema; record names are derived from field paths and kept unique. */
    private final class Translation {
        private final Set<String> recordNames = new HashSet<>();

        Schema topLevel(org.apache.kafka.connect.data.Schema struct) {
            String name = DEFAULT_RECORD_NAME;
            String namespace = null;
            if (struct.name() != null && !struct.name().isBlank()) {
                String[] parts = struct.name().split("\\.");
                name = avroName(parts[parts.length - 1]);
                List<String> ns = new ArrayList<>();
                for (int i = 0; i < parts.length - 1; i++) {
                    ns.add(avroName(parts[i]));
                }
                namespace = ns.isEmpty() ? null : String.join(".", ns);
            }
            recordNames.add(name);
            List<Schema.Field> fields = new ArrayList<>();
            for (Schema.Field field : recordFields(struct, name, "")) {
                sinkColumns.requireNoClash(field.name());
                // A tombstone's row has null in every value column, and must fit the file of its path.
                fields.add(sinkColumns.deleteMarkers() ? nullableField(field) : field);
            }
            fields.addAll(sinkColumns.fields());
            return Schema.createRecord(name, null, namespace, false, fields);
        }

        private List<Schema.Field> recordFields(org.apache.kafka.connect.data.Schema struct, String recordName,
                                                String path) {
            if (struct.fields().isEmpty()) {
                throw new DataException("Struct " + describe(path) + " has no fields; Parquet cannot store it");
            }
            List<Schema.Field> fields = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (Field field : struct.fields()) {
                String name = avroName(field.name());
                String clash = seen.put(name, field.name());
                if (clash != null) {
                    throw new DataException("Fields '" + clash + "' and '" + field.name() + "' of " + describe(path)
                            + " both map to column name '" + name + "'");
                }
                Schema schema = schemaOf(field.schema(), recordName + "_" + name, path + "." + field.name());
                fields.add(field.schema().isOptional()
                        ? new Schema.Field(name, schema, null, JsonProperties.NULL_VALUE)
                        : new Schema.Field(name, schema));
            }
            return fields;
        }

        private Schema schemaOf(org.apache.kafka.connect.data.Schema schema, String nameHint, String path) {
            Schema base = baseSchemaOf(schema, nameHint, path);
            return schema.isOptional() ? nullable(base) : base;
        }

        private Schema baseSchemaOf(org.apache.kafka.connect.data.Schema schema, String nameHint, String path) {
            String logical = schema.name();
            if (Decimal.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.decimal(decimalPrecision(schema), decimalScale(schema))
                        .addToSchema(Schema.create(Schema.Type.BYTES));
            }
            if (Date.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            }
            if (Time.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
            }
            if (Timestamp.LOGICAL_NAME.equals(logical)) {
                return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            }
            return switch (schema.type()) {
                case INT8, INT16, INT32 -> Schema.create(Schema.Type.INT);
                case INT64 -> Schema.create(Schema.Type.LONG);
                case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
                case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
                case STRING -> Schema.create(Schema.Type.STRING);
                case BYTES -> Schema.create(Schema.Type.BYTES);
                case ARRAY -> Schema.createArray(schemaOf(schema.valueSchema(), nameHint + "_element", path + "[]"));
                case MAP -> mapSchemaOf(schema, nameHint, path);
                case STRUCT -> {
                    String name = uniqueName(nameHint);
                    yield Schema.createRecord(name, null, null, false, recordFields(schema, name, path));
                }
            };
        }

        private Schema mapSchemaOf(org.apache.kafka.connect.data.Schema schema, String nameHint, String path) {
            if (hasStringKeys(schema)) {
                return Schema.createMap(schemaOf(schema.valueSchema(), nameHint + "_value", path + "{}"));
            }
            String name = uniqueName(nameHint + "_entry");
            List<Schema.Field> fields = new ArrayList<>();
            fields.add(new Schema.Field("key", schemaOf(schema.keySchema(), name + "_key", path + "{key}")));
            Schema value = schemaOf(schema.valueSchema(), name + "_value", path + "{}");
            fields.add(schema.valueSchema().isOptional()
                    ? new Schema.Field("value", value, null, JsonProperties.NULL_VALUE)
                    : new Schema.Field("value", value));
            return Schema.createArray(Schema.createRecord(name, null, null, false, fields));
        }

        private String uniqueName(String hint) {
            String name = hint;
            for (int i = 2; !recordNames.add(name); i++) {
                name = hint + "_" + i;
            }
            return name;
        }
    }

    // ------------------------------------------------------- conventions the projector compiler relies on as well

    /** Whether a Connect map becomes an Avro map (string keys) rather than an array of key/value records. */
    static boolean hasStringKeys(org.apache.kafka.connect.data.Schema mapSchema) {
        return mapSchema.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING
                && mapSchema.keySchema().name() == null;
    }

    static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    static Schema nullable(Schema schema) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
    }

    /** {@code field}, or a copy of it that is nullable with default null. */
    private static Schema.Field nullableField(Schema.Field field) {
        if (isNullable(field.schema())) {
            return field;
        }
        return new Schema.Field(field.name(), nullable(field.schema()), field.doc(), JsonProperties.NULL_VALUE);
    }

    static int decimalScale(org.apache.kafka.connect.data.Schema schema) {
        String scale = schema.parameters() == null ? null : schema.parameters().get(Decimal.SCALE_FIELD);
        if (scale == null) {
            throw new DataException("Decimal schema without a '" + Decimal.SCALE_FIELD + "' parameter");
        }
        return Integer.parseInt(scale);
    }

    static int decimalPrecision(org.apache.kafka.connect.data.Schema schema) {
        String precision = schema.parameters() == null ? null : schema.parameters().get(CONNECT_DECIMAL_PRECISION);
        return precision == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(precision);
    }

    /** A valid Avro name: letters, digits and underscores, not starting with a digit. */
    static String avroName(String name) {
        StringBuilder out = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }

    /** A field path ({@code .a.b}, empty for the value itself) as messages name it. */
    static String describe(String path) {
        return path.isEmpty() ? "the value" : "field '" + path.substring(1) + "'";
    }
}
