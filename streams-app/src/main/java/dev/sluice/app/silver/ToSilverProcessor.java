package dev.sluice.app.silver;

import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.sluice.app.dlq.AppVersion;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * Maps a valid, deduplicated bronze record to its silver form and key, and stamps the lineage headers. A Kafka
 * tombstone stays a tombstone (with the silver key), so that compacted silver topics and the tables built from
 * them forget the row.
 */
public final class ToSilverProcessor<V> implements Processor<byte[], Staged<Decoded>, String, V> {

    private final String entity;
    private final SilverMapping<V> mapping;
    private final Function<Decoded, V> tombstone;
    private final PipelineMetrics metrics;
    private final Tracing tracing;
    private ProcessorContext<String, V> context;

    /**
     * @param tombstone what a Kafka tombstone becomes (usually null; a marker record for internal streams)
     */
    public ToSilverProcessor(String entity, SilverMapping<V> mapping, Function<Decoded, V> tombstone,
            PipelineMetrics metrics, Tracing tracing) {
        this.entity = entity;
        this.mapping = mapping;
        this.tombstone = tombstone;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void init(ProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], Staged<Decoded>> record) {
        Span span = tracing.startStage(Stage.ENRICH.id(), Stage.ENRICH, entity, record.headers(), context);
        Decoded decoded = record.value().value();
        String key = mapping.key(decoded);
        V value = decoded.tombstone() ? tombstone.apply(decoded) : mapping.value(decoded, record.timestamp());
        metrics.out(Stage.ENRICH, entity, decoded.tombstone() ? "tombstone" : "mapped");
        Headers headers = lineage(context.recordMetadata(), entity, record.headers(), context.currentSystemTimeMs());
        span.end();
        tracing.inject(span, headers);
        context.forward(new Record<>(key, value, record.timestamp(), headers));
    }

    /** The record's headers with the lineage of the bronze record at {@code source} stamped on. */
    static Headers lineage(Optional<RecordMetadata> source, String entity, Headers headers, long now) {
        String from = source.map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse(entity);
        return Lineage.stamp(headers, from, now, AppVersion.get());
    }
}
