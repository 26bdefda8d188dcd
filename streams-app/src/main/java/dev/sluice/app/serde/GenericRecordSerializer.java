package dev.sluice.app.serde;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generic records in the Confluent wire format under {@code <topic>-value}, each with its own schema (the
 * silver schemas derived from dataset specifications, one per bronze schema). The id of a schema comes from the
 * shared {@link SchemaCache} once and is then kept per stream thread, keyed by the schema instance; whoever derives
 * a schema registers it (after its compatibility check) before the first record of it is written.
 */
public final class GenericRecordSerializer implements Serializer<GenericRecord> {

    private record Writer(int id, GenericDatumWriter<GenericRecord> datum) {
    }

    private final SchemaCache cache;
    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(PerThread::new);

    public GenericRecordSerializer(SchemaCache cache) {
        this.cache = cache;
    }

    @Override
    public byte[] serialize(String topic, GenericRecord value) {
        if (value == null) {
            return null;
        }
        PerThread local = perThread.get();
        Schema schema = value.getSchema();
        Writer writer = local.writers.get(schema);
        if (writer == null) {
            writer = new Writer(cache.writerId(topic + "-value", schema), new GenericDatumWriter<>(schema));
            local.writers.put(schema, writer);
        }
        ConfluentWireSerde.Buffer out = local.out;
        out.reset();
        out.write(ConfluentWireSerde.MAGIC);
        out.writeInt(writer.id());
        try {
            local.encoder = EncoderFactory.get().binaryEncoder(out, local.encoder);
            writer.datum().write(value, local.encoder);
            local.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + ": " + e, e);
        }
        return out.toByteArray();
    }

    /** What a stream thread reuses; the map is keyed by identity since derived schemas are cached instances. */
    private static final class PerThread {
        final Map<Schema, Writer> writers = new IdentityHashMap<>();
        final ConfluentWireSerde.Buffer out = new ConfluentWireSerde.Buffer();
        BinaryEncoder encoder;
    }
}
