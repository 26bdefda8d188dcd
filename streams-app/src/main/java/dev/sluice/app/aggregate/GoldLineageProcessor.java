package dev.sluice.app.aggregate;

import java.util.OptionalLong;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.AppVersion;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.freshness.SourceTimeHeader;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * Gives a gold record its own lineage headers (the silver topic it aggregates, the time it was computed, the
 * pipeline version) instead of those of whichever input record happened to update it last; of that record's headers
 * it keeps only the source time ({@link SourceTimeHeader}): the gold record is as fresh as its latest input. Kafka
 * Streams' session aggregation forwards a new session without its input's headers; for such a store
 * {@code sourceTimeOfValue} gives the source time from the gold value instead.
 *
 * <p>Its span (stage aggregate) is a child of the trace context of the input that updated the aggregate last: Kafka
 * Streams hands an aggregate's change on with that input's headers (through the record cache too, where updates
 * between commits collapse into the last). A parent rather than links to every input: a gold record may sum
 * thousands of inputs, whose own traces end at their late-gate span; the last one is the update being published.
 */
public final class GoldLineageProcessor<K, V> implements FixedKeyProcessor<K, V, V> {

    private final String aggregate;
    private final String sourceTopic;
    private final PipelineMetrics metrics;
    private final Function<V, OptionalLong> sourceTimeOfValue;
    private final Tracing tracing;
    private FixedKeyProcessorContext<K, V> context;

    public GoldLineageProcessor(String aggregate, String sourceTopic, PipelineMetrics metrics,
            Function<V, OptionalLong> sourceTimeOfValue, Tracing tracing) {
        this.aggregate = aggregate;
        this.sourceTopic = sourceTopic;
        this.metrics = metrics;
        this.sourceTimeOfValue = sourceTimeOfValue;
        this.tracing = tracing;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        Span span = tracing.startStage(Stage.AGGREGATE.id(), Stage.AGGREGATE, aggregate, record.headers(), context);
        metrics.out(Stage.AGGREGATE, aggregate, "emitted");
        Headers headers = Lineage.stamp(new RecordHeaders(), sourceTopic, context.currentSystemTimeMs(),
                AppVersion.get());
        OptionalLong source = SourceTimeHeader.read(record.headers());
        if (source.isEmpty() && record.value() != null) {
            source = sourceTimeOfValue.apply(record.value());
        }
        if (source.isPresent()) {
            headers = SourceTimeHeader.stamp(headers, source.getAsLong());
        }
        span.end();
        tracing.inject(span, headers);
        context.forward(record.withHeaders(headers));
    }
}
