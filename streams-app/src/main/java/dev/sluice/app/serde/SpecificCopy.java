package dev.sluice.app.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * A generic record read as a generated class by Avro schema resolution, exactly as that class' serde reads the
 * record's bytes from a topic: for a stage that takes in memory what a generic silver pipeline writes (the user
 * sessions take the clean user events). Readers and writers are kept per stream thread and record schema.
 */
public final class SpecificCopy<T extends SpecificRecord> implements Function<GenericRecord, T> {

    private record Codec<T>(GenericDatumWriter<GenericRecord> writer, SpecificDatumReader<T> reader) {
    }

    private final Class<T> type;
    private final ThreadLocal<PerThread<T>> perThread = ThreadLocal.withInitial(PerThread::new);

    public SpecificCopy(Class<T> type) {
        this.type = type;
    }

    @Override
    public T apply(GenericRecord record) {
        if (record == null) {
            return null;
        }
        PerThread<T> local = perThread.get();
        Schema writerSchema = record.getSchema();
        Codec<T> codec = local.codecs.computeIfAbsent(writerSchema, schema -> {
            SpecificData model = SpecificData.getForClass(type);
            return new Codec<>(new GenericDatumWriter<>(schema),
                    new SpecificDatumReader<>(schema, model.getSchema(type), model));
        });
        try {
            local.out.reset();
            local.encoder = EncoderFactory.get().binaryEncoder(local.out, local.encoder);
            codec.writer().write(record, local.encoder);
            local.encoder.flush();
            local.decoder = DecoderFactory.get().binaryDecoder(local.out.toByteArray(), local.decoder);
            return codec.reader().read(null, local.decoder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + writerSchema.getFullName() + " as " + type.getName(), e);
        }
    }

    private static final class PerThread<T> {
        final Map<Schema, Codec<T>> codecs = new IdentityHashMap<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder;
        BinaryDecoder decoder;
    }
}
