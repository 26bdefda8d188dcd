package dev.sluice.app.aggregate;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.ErrorCode;
import dev.sluice.app.dlq.Failure;
import dev.sluice.app.dlq.Failures;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * Decodes a silver record read as bytes for the gold aggregates, keeping the raw bytes for a possible dead letter.
 * A tombstone passes with a null value (the aggregates skip it).
 */
public final class SilverDecodeProcessor<V> implements FixedKeyProcessor<String, byte[], Staged<V>> {

    private final String entity;
    private final Deserializer<V> deserializer;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<String, Staged<V>> context;

    public SilverDecodeProcessor(String entity, Deserializer<V> deserializer, PipelineMetrics metrics) {
        this.entity = entity;
        this.deserializer = deserializer;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Staged<V>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        metrics.in(Stage.DESERIALIZE, entity);
        byte[] rawKey = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        String topic = context.recordMetadata().map(m -> m.topic()).orElse(entity);
        Staged<V> result;
        try {
            V value = record.value() == null ? null : deserializer.deserialize(topic, record.headers(), record.value());
            result = Staged.ok(rawKey, record.value(), value);
            metrics.out(Stage.DESERIALIZE, entity, "decoded");
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            result = Staged.failed(rawKey, record.value(),
                    Failure.exception(Stage.DESERIALIZE, ErrorCode.DESERIALIZATION_FAILED, e));
            metrics.out(Stage.DESERIALIZE, entity, "undecodable");
        }
        context.forward(record.withValue(result));
    }
}
