package dev.sluice.app.aggregate;

import java.util.OptionalLong;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.AppVersion;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.freshness.SourceTimeHeader;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.silver.Lineage;

/**
 * Gives a gold record its own lineage headers (the silver topic it aggregates, the time it was computed, the
 * pipeline version) instead of those of whichever input record happened to update it last; of that record's headers
 * it keeps only the source time ({@link SourceTimeHeader}): the gold record is as fresh as its latest input. Kafka
 * Streams' session aggregation forwards a new session without its input's headers; for such a store
 * {@code sourceTimeOfValue} gives the source time from the gold value instead.
 */
public final class GoldLineageProcessor<K, V> implements FixedKeyProcessor<K, V, V> {

    private final String aggregate;
    private final String sourceTopic;
    private final PipelineMetrics metrics;
    private final Function<V, OptionalLong> sourceTimeOfValue;
    private FixedKeyProcessorContext<K, V> context;

    public GoldLineageProcessor(String aggregate, String sourceTopic, PipelineMetrics metrics,
            Function<V, OptionalLong> sourceTimeOfValue) {
        this.aggregate = aggregate;
        this.sourceTopic = sourceTopic;
        this.metrics = metrics;
        this.sourceTimeOfValue = sourceTimeOfValue;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        metrics.out(Stage.AGGREGATE, aggregate, "emitted");
        Headers headers = Lineage.stamp(new RecordHeaders(), sourceTopic, context.currentSystemTimeMs(),
                AppVersion.get());
        OptionalLong source = SourceTimeHeader.read(record.headers());
        if (source.isEmpty() && record.value() != null) {
            source = sourceTimeOfValue.apply(record.value());
        }
        context.forward(record.withHeaders(source.isPresent() ? SourceTimeHeader.stamp(headers, source.getAsLong())
                : headers));
    }
}
