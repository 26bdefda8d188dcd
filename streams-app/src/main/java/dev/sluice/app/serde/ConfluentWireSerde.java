package dev.sluice.app.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format — magic byte 0, the schema's 4-byte big-endian id, the Avro binary record —
 * with everything resolved once: the writer schema of an id comes from the shared {@link SchemaCache} (cached
 * forever), the {@link DatumReader} that resolves it to the reader schema is built once per id and stream thread,
 * the {@link BinaryDecoder}, {@link BinaryEncoder} and output buffer are reused, and the writer id of a topic is
 * looked up (registered) once. No registry call on the hot path.
 * <p>
 * Two kinds: {@link #specific(Class, SchemaCache) specific} reads any writer schema of a generated class into that
 * class (Avro schema resolution) and writes it under {@code <topic>-value}; {@link #generic(SchemaCache) generic}
 * reads any record into {@link org.apache.avro.generic.GenericRecord} (or a plain value for a non-record schema)
 * with its writer schema. The bytes written are those of Apicurio's serializer with the same settings.
 */
public final class ConfluentWireSerde<T> implements Serde<T> {

    /** The wire format's first byte. */
    public static final byte MAGIC = 0;
    /** Magic byte and schema id. */
    public static final int HEADER = 5;

    private final SchemaCache cache;
    private final GenericData model;
    /** The reader schema of specific records; null: generic, read with the writer schema. */
    private final Schema readerSchema;
    private final DatumWriter<T> writer;
    private final Map<String, Integer> topicIds = new ConcurrentHashMap<>();
    private final ThreadLocal<PerThread<T>> perThread = ThreadLocal.withInitial(PerThread::new);

    private ConfluentWireSerde(SchemaCache cache, GenericData model, Schema readerSchema, DatumWriter<T> writer) {
        this.cache = cache;
        this.model = model;
        this.readerSchema = readerSchema;
        this.writer = writer;
    }

    /** The serde of a generated Avro class. */
    public static <T extends SpecificRecord> ConfluentWireSerde<T> specific(Class<T> type, SchemaCache cache) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        return new ConfluentWireSerde<>(cache, model, schema, new SpecificDatumWriter<>(schema, model));
    }

    /** A serde of any Avro value with its writer schema (reads records as GenericRecord). */
    public static ConfluentWireSerde<Object> generic(SchemaCache cache) {
        return new ConfluentWireSerde<>(cache, GenericData.get(), null, null);
    }

    /** The schema this serde writes, null for the generic one. */
    public Schema schema() {
        return readerSchema;
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    /**
     * Decodes {@code bytes}.
     *
     * @throws SerializationException       the bytes are not the wire format or not a record of the schema
     * @throws UnknownSchemaIdException     the id is not in the registry
     * @throws RegistryUnavailableException the registry could not say
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER) {
            throw new SerializationException("too short for the Confluent wire format: " + bytes.length + " bytes");
        }
        if (bytes[0] != MAGIC) {
            throw new SerializationException("not the Confluent wire format: magic byte " + bytes[0]
                    + " instead of 0");
        }
        int id = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        PerThread<T> local = perThread.get();
        DatumReader<T> reader = local.readers.get(id);
        if (reader == null) {
            reader = newReader(cache.schema(id));
            local.readers.put(id, reader);
        }
        try {
            local.decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, local.decoder);
            return reader.read(null, local.decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a record of schema id " + Integer.toUnsignedString(id)
                    + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> newReader(Schema writerSchema) {
        if (readerSchema == null) {
            return (DatumReader<T>) new GenericDatumReader<>(writerSchema, writerSchema, model);
        }
        try {
            return new SpecificDatumReader<>(writerSchema, readerSchema, (SpecificData) model);
        } catch (RuntimeException e) {
            throw new SerializationException("writer schema " + writerSchema.getFullName() + " cannot be read as "
                    + readerSchema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    // ---- writing -----------------------------------------------------------------------------------------------

    /** Encodes {@code value} for {@code topic}, its writer schema registered under {@code <topic>-value}. */
    public byte[] encode(String topic, T value) {
        if (value == null) {
            return null;
        }
        if (writer == null) {
            throw new UnsupportedOperationException("the generic wire serde only reads");
        }
        Integer id = topicIds.get(topic);
        if (id == null) {
            id = cache.writerId(topic + "-value", readerSchema);
            topicIds.put(topic, id);
        }
        PerThread<T> local = perThread.get();
        Buffer out = local.out;
        out.reset();
        out.write(MAGIC);
        out.writeInt(id);
        try {
            local.encoder = EncoderFactory.get().binaryEncoder(out, local.encoder);
            writer.write(value, local.encoder);
            local.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + readerSchema.getFullName() + ": " + e, e);
        }
        return out.toByteArray();
    }

    /** Registers the writer schema for {@code topic} now, once, without retrying; false if the registry is down. */
    public boolean tryRegister(String topic) {
        if (writer == null || topicIds.containsKey(topic)) {
            return writer != null;
        }
        if (!cache.tryRegister(topic + "-value", readerSchema)) {
            return false;
        }
        topicIds.put(topic, cache.writerId(topic + "-value", readerSchema));
        return true;
    }

    // ---- Serde -------------------------------------------------------------------------------------------------

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> encode(topic, value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> decode(bytes);
    }

    /** What a stream thread reuses: its readers per id, decoder, encoder and output buffer. */
    private static final class PerThread<T> {
        final Map<Integer, DatumReader<T>> readers = new HashMap<>();
        final Buffer out = new Buffer();
        BinaryDecoder decoder;
        BinaryEncoder encoder;
    }

    /** An unsynchronised, growable output buffer, reset for every record. */
    static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[1024];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        void writeInt(int v) {
            ensure(4);
            bytes[count++] = (byte) (v >>> 24);
            bytes[count++] = (byte) (v >>> 16);
            bytes[count++] = (byte) (v >>> 8);
            bytes[count++] = (byte) v;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, count);
        }
    }
}
