package dev.sluice.app.aggregate;

import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * Chooses which silver records an aggregate counts and puts them on event time: the record timestamp becomes the
 * event's own time, which the windows and the lateness check use. Records the aggregate does not count (updates,
 * deletes, tombstones) stop here, counted as {@code outcome=skipped}; they are in silver already.
 */
public final class AggregateInputProcessor<K, V> implements FixedKeyProcessor<K, V, V> {

    private final String aggregate;
    private final Predicate<V> counts;
    private final ToLongFunction<V> eventTime;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<K, V> context;

    public AggregateInputProcessor(String aggregate, Predicate<V> counts, ToLongFunction<V> eventTime,
            PipelineMetrics metrics) {
        this.aggregate = aggregate;
        this.counts = counts;
        this.eventTime = eventTime;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        metrics.in(Stage.AGGREGATE, aggregate);
        V value = record.value();
        if (value == null || !counts.test(value)) {
            metrics.out(Stage.AGGREGATE, aggregate, "skipped");
            return;
        }
        context.forward(record.withTimestamp(eventTime.applyAsLong(value)));
    }
}
