package dev.sluice.app.testing;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.serde.SchemaSource;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * Serializes bronze rows the way the Connect converter and the applications do: Avro in the Confluent wire format,
 * schemas registered under {@code <topic>-key} / {@code <topic>-value} — through the real registry with Apicurio's
 * serializer, or in a {@link SchemaSource} (the topology tests' {@link InMemorySchemaSource}) with the same framing.
 */
public final class BronzeRecords {

    /** Frames one key or value of {@code topic}. */
    @FunctionalInterface
    private interface Framing {
        byte[] frame(String topic, Schema schema, Object value);
    }

    private final Framing keys;
    private final Framing values;

    /** Through the registry at {@code registryV2Url}, with Apicurio's serializer as the applications use it. */
    public BronzeRecords(String registryV2Url) {
        Map<String, Object> config = Map.of(
                "apicurio.registry.url", registryV2Url,
                "apicurio.registry.auto-register", "true",
                "apicurio.registry.auto-register.if-exists", "RETURN_OR_UPDATE",
                "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId",
                "apicurio.registry.headers.enabled", "false");
        AvroKafkaSerializer<Object> keySerializer = new AvroKafkaSerializer<>();
        AvroKafkaSerializer<Object> valueSerializer = new AvroKafkaSerializer<>();
        keySerializer.configure(config, true);
        valueSerializer.configure(config, false);
        this.keys = (topic, schema, value) -> keySerializer.serialize(topic, value);
        this.values = (topic, schema, value) -> valueSerializer.serialize(topic, value);
    }

    /** With ids from {@code schemas}, no registry process. */
    public BronzeRecords(SchemaSource schemas) {
        ConfluentWireWriter writer = new ConfluentWireWriter(schemas);
        this.keys = (topic, schema, value) -> writer.write(topic + "-key", schema, value);
        this.values = (topic, schema, value) -> writer.write(topic + "-value", schema, value);
    }

    /** An Avro key record of {@code schema} with the given field values. */
    public byte[] key(String topic, Schema schema, Object... fieldValues) {
        GenericRecord key = new GenericData.Record(schema);
        for (int i = 0; i < fieldValues.length; i++) {
            key.put(i, fieldValues[i]);
        }
        return keys.frame(topic, schema, key);
    }

    /**
     * A value record of {@code schema} from {@code row}; absent fields are null. The schema is registered under
     * {@code <topic>-value}.
     */
    public byte[] value(String topic, Schema schema, Map<String, Object> row) {
        return values.frame(topic, schema, record(schema, row));
    }

    /** The generic record of {@code row}: BigDecimal, Instant and plain values converted as the schema wants. */
    public static GenericRecord record(Schema schema, Map<String, Object> row) {
        for (String name : row.keySet()) {
            if (schema.getField(name) == null) {
                throw new IllegalArgumentException("no field " + name + " in " + schema.getFullName());
            }
        }
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), convert(nonNull(field.schema()), row.get(field.name())));
        }
        return record;
    }

    private static Object convert(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        LogicalType logical = LogicalTypes.fromSchemaIgnoreInvalid(schema);
        if (value instanceof BigDecimal decimal && logical instanceof LogicalTypes.Decimal d) {
            return ByteBuffer.wrap(decimal.setScale(d.getScale()).unscaledValue().toByteArray());
        }
        if (value instanceof Instant instant) {
            return schema.getType() == Schema.Type.STRING ? instant.toString() : instant.toEpochMilli();
        }
        return value;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }
}
