package dev.sluice.app.freshness;

import java.util.OptionalLong;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Passes records on unchanged, right before they are written to a silver or gold topic, and records the wall clock
 * then minus their {@link SourceTimeHeader source time} as the freshness of {@code dataset} at {@code layer}.
 * Records without the header (tombstones, sources without a source time) are not measured.
 */
public final class FreshnessProbe<K, V> implements FixedKeyProcessor<K, V, V> {

    private final Layer layer;
    private final String dataset;
    private final FreshnessMetrics freshness;
    private FixedKeyProcessorContext<K, V> context;

    public FreshnessProbe(Layer layer, String dataset, FreshnessMetrics freshness) {
        this.layer = layer;
        this.dataset = dataset;
        this.freshness = freshness;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        OptionalLong source = SourceTimeHeader.read(record.headers());
        if (source.isPresent()) {
            freshness.record(layer, dataset, source.getAsLong(), freshness.now());
        }
        context.forward(record);
    }
}
