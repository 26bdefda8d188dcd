package dev.sluice.app.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import dev.sluice.app.serde.ConfluentWireSerde;
import dev.sluice.app.serde.SchemaSource;

/**
 * Writes Avro values as the sources do (the Connect converter, the applications' Apicurio serializer with {@code
 * as-confluent=true}, {@code use-id=contentId}, headers off): magic byte 0, the 4-byte big-endian id of the writer
 * schema, the Avro binary value; the schema registered under the given subject in a {@link SchemaSource}. The
 * service's {@link ConfluentWireSerde} reads these bytes as it reads the registry serializer's
 * ({@code ConfluentWireSerdeIT} compares the two).
 */
public final class ConfluentWireWriter {

    private final SchemaSource schemas;
    /** Ids are per content, whatever the subject, so each schema is registered once. */
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    public ConfluentWireWriter(SchemaSource schemas) {
        this.schemas = schemas;
    }

    /**
     * {@code value} of {@code schema}: a generated record (written with its class's logical types, as Apicurio's
     * serializer does), a generic record, or a plain value of a primitive schema.
     */
    public byte[] write(String subject, Schema schema, Object value) {
        int id = ids.computeIfAbsent(schema, s -> schemas.register(subject, s));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ConfluentWireSerde.MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, s -> value instanceof SpecificRecord
                    ? new SpecificDatumWriter<>(s, SpecificData.getForClass(value.getClass()))
                    : new GenericDatumWriter<>(s, GenericData.get())).write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a value of " + schema.getFullName(), e);
        }
        return out.toByteArray();
    }
}
