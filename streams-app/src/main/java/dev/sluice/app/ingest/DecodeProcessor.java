package dev.sluice.app.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.Failure;
import dev.sluice.app.dlq.Failures;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.freshness.Layer;
import dev.sluice.app.freshness.SourceTime;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * Stage deserialize: decodes the raw bytes of a bronze record. A record that cannot be decoded becomes a failure
 * (and later a dead-letter record) instead of stopping the application; a dependency that is unreachable (the
 * registry) is rethrown, so that processing stops rather than dead-letters good records. A decoded record with a
 * {@link SourceTime} is measured as the entity's bronze freshness: its Kafka timestamp minus its source time.
 */
public final class DecodeProcessor implements FixedKeyProcessor<byte[], byte[], Staged<Decoded>> {

    private final String entity;
    private final KeyFormat keyFormat;
    private final Deserializer<Object> keyDeserializer;
    private final Deserializer<Object> valueDeserializer;
    private final PipelineMetrics metrics;
    private final SourceTime sourceTime;
    private final Tracing tracing;
    /** Strict UTF-8 for string keys, reused: a processor instance runs on one stream thread. */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private FixedKeyProcessorContext<byte[], Staged<Decoded>> context;

    public DecodeProcessor(String entity, KeyFormat keyFormat, Deserializer<Object> keyDeserializer,
            Deserializer<Object> valueDeserializer, PipelineMetrics metrics, Tracing tracing) {
        this.entity = entity;
        this.keyFormat = keyFormat;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.metrics = metrics;
        this.sourceTime = SourceTime.of(entity);
        this.tracing = tracing;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Staged<Decoded>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        metrics.in(Stage.DESERIALIZE, entity);
        // The first stage: continues a producer's trace, or starts one.
        Span span = tracing.startStage(Stage.DESERIALIZE.id(), Stage.DESERIALIZE, entity, record.headers(), context);
        String topic = context.recordMetadata().map(m -> m.topic()).orElse(entity);
        Staged<Decoded> result;
        try {
            Object key = decodeKey(topic, record);
            GenericRecord value = decodeValue(topic, record);
            result = Staged.ok(record.key(), record.value(), new Decoded(key, value));
            metrics.out(Stage.DESERIALIZE, entity, "decoded");
            sourceTime.in(value).ifPresent(source -> metrics.freshness().record(Layer.BRONZE, entity, source,
                    record.timestamp()));
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            result = Staged.failed(record.key(), record.value(),
                    Failure.exception(Stage.DESERIALIZE, ErrorCode.DESERIALIZATION_FAILED, e));
            metrics.out(Stage.DESERIALIZE, entity, "undecodable");
        }
        FixedKeyRecord<byte[], Staged<Decoded>> out = record.withValue(result);
        if (result.failed()) {
            Tracing.fail(span, result.failure());
        } else {
            span.end();
        }
        tracing.inject(span, out.headers());
        context.forward(out);
    }

    private Object decodeKey(String topic, FixedKeyRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new IllegalArgumentException("the record has no key");
        }
        if (keyFormat == KeyFormat.STRING) {
            try {
                return utf8.reset().decode(ByteBuffer.wrap(record.key())).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the key is not valid UTF-8", e);
            }
        }
        Object key = keyDeserializer.deserialize(topic, record.headers(), record.key());
        if (!(key instanceof GenericRecord)) {
            throw new IllegalArgumentException("the key is not an Avro record but " + typeOf(key));
        }
        return key;
    }

    private GenericRecord decodeValue(String topic, FixedKeyRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        Object value = valueDeserializer.deserialize(topic, record.headers(), record.value());
        if (!(value instanceof GenericRecord generic)) {
            throw new IllegalArgumentException("the value is not an Avro record but " + typeOf(value));
        }
        return generic;
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
