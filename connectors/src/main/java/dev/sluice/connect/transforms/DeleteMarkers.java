package dev.sluice.connect.transforms;

import dev.sluice.connect.PluginVersion;
import dev.sluice.connect.RecordKeyText;
import dev.sluice.connect.transforms.DeleteMarkersConfig.NullValues;
import dev.sluice.lake.KafkaColumns;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Turns tombstones into delete-marker values for sinks that have no delete-marker mode of their own (Apache Iceberg's
 * sink passes over a null value: it has no field to route by). With {@code behavior.on.null.values=delete} a
 * tombstone becomes a struct with its key in {@code __kafka_key} and {@code __deleted = true}, and every record with
 * a value gets the same two columns ({@code __deleted = false}), so a table holds every record of its topic once and
 * readers take the current state as on the Parquet lake: the latest row per {@code __kafka_key}, unless it is a
 * marker. The columns mean what the S3 Parquet sink's {@code behavior.on.null.values=delete} columns mean
 * ({@link KafkaColumns}). Place it before {@code InsertField}, which passes null values over and would otherwise leave
 * a marker without the topic and timestamp columns.
 *
 * <p>The top-level fields of a value are made optional: a marker has none of them, and a sink that creates or evolves
 * a table from the records (Iceberg's) then gets nullable columns, or relaxes required ones on the first record.
 */
public final class DeleteMarkers<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    /** A marker's value schema: the key and the flag; the value fields of its topic are absent, hence null. */
    static final Schema MARKER = SchemaBuilder.struct()
            .field(KafkaColumns.KEY, Schema.OPTIONAL_STRING_SCHEMA)
            .field(KafkaColumns.DELETED, Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .build();

    private NullValues nullValues;
    private final Cache<Schema, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(16));

    @Override
    public void configure(Map<String, ?> props) {
        nullValues = new DeleteMarkersConfig(props).nullValues();
    }

    @Override
    public R apply(R record) {
        if (nullValues == NullValues.IGNORE) {
            return record;
        }
        if (record.value() == null) {
            if (nullValues == NullValues.FAIL) {
                throw new DataException("DeleteMarkers: a tombstone (null value) at " + where(record)
                        + " and " + DeleteMarkersConfig.BEHAVIOR_ON_NULL_VALUES + "=fail");
            }
            Struct marker = new Struct(MARKER).put(KafkaColumns.KEY, RecordKeyText.of(record))
                    .put(KafkaColumns.DELETED, true);
            return with(record, MARKER, marker);
        }
        if (nullValues == NullValues.FAIL) {
            return record;
        }
        if (record.value() instanceof Struct value) {
            Schema schema = schemas.get(value.schema());
            if (schema == null) {
                schema = withMarkerColumns(value.schema(), record);
                schemas.put(value.schema(), schema);
            }
            Struct row = new Struct(schema);
            for (Field field : value.schema().fields()) {
                row.put(field.name(), optionalValue(value.get(field), schema.field(field.name()).schema()));
            }
            return with(record, schema, row.put(KafkaColumns.KEY, RecordKeyText.of(record))
                    .put(KafkaColumns.DELETED, false));
        }
        if (record.value() instanceof Map<?, ?> value) {
            checkNoMarkerColumns(value.containsKey(KafkaColumns.KEY) || value.containsKey(KafkaColumns.DELETED),
                    record);
            Map<Object, Object> row = new HashMap<>(value);
            row.put(KafkaColumns.KEY, RecordKeyText.of(record));
            row.put(KafkaColumns.DELETED, false);
            return with(record, null, row);
        }
        throw new DataException("DeleteMarkers: the value at " + where(record) + " is a "
                + record.value().getClass().getSimpleName() + ", not a struct or map: it has no row to add "
                + KafkaColumns.KEY + " and " + KafkaColumns.DELETED + " to");
    }

    /** {@code schema} with its top-level fields optional, then {@code __kafka_key} and {@code __deleted}. */
    private static Schema withMarkerColumns(Schema schema, ConnectRecord<?> record) {
        checkNoMarkerColumns(schema.field(KafkaColumns.KEY) != null || schema.field(KafkaColumns.DELETED) != null,
                record);
        SchemaBuilder builder = basics(schema, SchemaBuilder.struct());
        for (Field field : schema.fields()) {
            builder.field(field.name(), optional(field.schema()));
        }
        for (Field field : MARKER.fields()) {
            builder.field(field.name(), field.schema());
        }
        return builder.build();
    }

    private static void checkNoMarkerColumns(boolean clash, ConnectRecord<?> record) {
        if (clash) {
            throw new DataException("DeleteMarkers: the value at " + where(record) + " has a field named "
                    + KafkaColumns.KEY + " or " + KafkaColumns.DELETED + ", which the delete markers would overwrite");
        }
    }

    /**
     * The optional copy of a field's schema: same type, name, version, doc and parameters (so logical types and
     * decimals stay what they are), same fields, elements and entries. A struct's default is dropped, since it
     * belongs to the required schema.
     */
    private static Schema optional(Schema schema) {
        if (schema.isOptional()) {
            return schema;
        }
        SchemaBuilder builder = switch (schema.type()) {
            case STRUCT -> {
                SchemaBuilder struct = SchemaBuilder.struct();
                schema.fields().forEach(field -> struct.field(field.name(), field.schema()));
                yield struct;
            }
            case ARRAY -> SchemaBuilder.array(schema.valueSchema());
            case MAP -> SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
            default -> SchemaBuilder.type(schema.type());
        };
        basics(schema, builder);
        if (schema.defaultValue() != null && schema.type() != Schema.Type.STRUCT) {
            builder.defaultValue(schema.defaultValue());
        }
        return builder.optional().build();
    }

    private static SchemaBuilder basics(Schema schema, SchemaBuilder builder) {
        builder.name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.parameters() != null) {
            builder.parameters(schema.parameters());
        }
        return builder;
    }

    /** A nested struct is copied onto the optional copy of its schema; every other value fits it as it is. */
    private static Object optionalValue(Object value, Schema schema) {
        if (value instanceof Struct struct && !struct.schema().equals(schema)) {
            Struct copy = new Struct(schema);
            for (Field field : struct.schema().fields()) {
                copy.put(field.name(), struct.getWithoutDefault(field.name()));
            }
            return copy;
        }
        return value;
    }

    private R with(R record, Schema schema, Object value) {
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(), schema,
                value, record.timestamp(), record.headers());
    }

    private static String where(ConnectRecord<?> record) {
        String offset = record instanceof SinkRecord sink ? ", offset " + sink.kafkaOffset() : "";
        return "topic " + record.topic() + ", partition " + record.kafkaPartition() + offset;
    }

    @Override
    public ConfigDef config() {
        return DeleteMarkersConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {
    }
}
