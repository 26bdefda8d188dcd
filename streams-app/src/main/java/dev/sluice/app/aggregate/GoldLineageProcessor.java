package dev.sluice.app.aggregate;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.dlq.AppVersion;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.silver.Lineage;

/**
 * Gives a gold record its own lineage headers (the silver topic it aggregates, the time it was computed, the
 * pipeline version) instead of those of whichever input record happened to update it last.
 */
public final class GoldLineageProcessor<K, V> implements FixedKeyProcessor<K, V, V> {

    private final String aggregate;
    private final String sourceTopic;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<K, V> context;

    public GoldLineageProcessor(String aggregate, String sourceTopic, PipelineMetrics metrics) {
        this.aggregate = aggregate;
        this.sourceTopic = sourceTopic;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        metrics.out(Stage.AGGREGATE, aggregate, "emitted");
        context.forward(record.withHeaders(Lineage.stamp(new RecordHeaders(), sourceTopic,
                context.currentSystemTimeMs(), AppVersion.get())));
    }
}
