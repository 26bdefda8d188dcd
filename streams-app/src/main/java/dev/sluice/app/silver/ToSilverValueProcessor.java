package dev.sluice.app.silver;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.freshness.SourceTime;
import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * {@link ToSilverProcessor} for an entity whose silver key is its bronze key, a UTF-8 string (user events: the user
 * id): the bronze key bytes are kept as they are, byte for byte what the silver key serializes to. Keeping the key
 * (rather than changing it) lets a keyed stage behind it, the sessions, aggregate without a repartition.
 */
public final class ToSilverValueProcessor<V> implements FixedKeyProcessor<byte[], Staged<Decoded>, V> {

    private final String entity;
    private final SilverMapping<V> mapping;
    private final PipelineMetrics metrics;
    private final SourceTime sourceTime;
    private final Tracing tracing;
    private FixedKeyProcessorContext<byte[], V> context;

    public ToSilverValueProcessor(String entity, SilverMapping<V> mapping, PipelineMetrics metrics, Tracing tracing) {
        this.entity = entity;
        this.mapping = mapping;
        this.metrics = metrics;
        this.sourceTime = SourceTime.of(entity);
        this.tracing = tracing;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Staged<Decoded>> record) {
        Span span = tracing.startStage(Stage.ENRICH.id(), Stage.ENRICH, entity, record.headers(), context);
        Decoded decoded = record.value().value();
        V value = decoded.tombstone() ? null : mapping.value(decoded, record.timestamp());
        metrics.out(Stage.ENRICH, entity, decoded.tombstone() ? "tombstone" : "mapped");
        Headers headers = ToSilverProcessor.headers(context.recordMetadata(), entity, record.headers(),
                context.currentSystemTimeMs(), sourceTime, decoded);
        span.end();
        tracing.inject(span, headers);
        context.forward(record.withValue(value).withHeaders(headers));
    }
}
