package dev.sluice.app.silver;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.sluice.app.dlq.AppVersion;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.freshness.SourceTime;
import dev.sluice.app.freshness.SourceTimeHeader;
import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * Maps a valid, deduplicated bronze record to its silver form and key, and stamps the lineage headers and the
 * bronze record's source time ({@link SourceTimeHeader}), which every record made from it carries on. A Kafka
 * tombstone stays a tombstone (with the silver key), so that compacted silver topics and the tables built from
 * them forget the row.
 */
public final class ToSilverProcessor<V> implements Processor<byte[], Staged<Decoded>, String, V> {

    private final String entity;
    private final SilverMapping<V> mapping;
    private final Function<Decoded, V> tombstone;
    private final PipelineMetrics metrics;
    private final SourceTime sourceTime;
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
        this.sourceTime = SourceTime.of(entity);
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
        Headers headers = headers(context.recordMetadata(), entity, record.headers(), context.currentSystemTimeMs(),
                sourceTime, decoded);
        span.end();
        tracing.inject(span, headers);
        context.forward(new Record<>(key, value, record.timestamp(), headers));
    }

    /** The record's headers with the lineage of the bronze record at {@code source} and its source time stamped on. */
    static Headers headers(Optional<RecordMetadata> source, String entity, Headers headers, long now,
            SourceTime sourceTime, Decoded decoded) {
        Headers stamped = lineage(source, entity, headers, now);
        OptionalLong time = sourceTime.in(decoded.value());
        return time.isPresent() ? SourceTimeHeader.stamp(stamped, time.getAsLong()) : stamped;
    }

    /** The record's headers with the lineage of the bronze record at {@code source} stamped on. */
    static Headers lineage(Optional<RecordMetadata> source, String entity, Headers headers, long now) {
        String from = source.map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse(entity);
        return Lineage.stamp(headers, from, now, AppVersion.get());
    }
}
