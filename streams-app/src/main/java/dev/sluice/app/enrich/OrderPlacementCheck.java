package dev.sluice.app.enrich;

import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.schemas.internal.OrderEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the order events that arrived on their order's partition ({@link OrderPlacement}), which the enricher takes as
 * they are, from the others, which must be rerouted there first. The others are counted per bronze topic, and the
 * first of them in a task is logged once: they mean the source does not place orders and their items (the CDC
 * connector lacks {@code PartitionByField}, or its partition count differs from {@code sluice.topics.partitions}).
 */
public final class OrderPlacementCheck implements FixedKeyProcessor<String, OrderEvent, OrderPlacement.Checked> {

    private static final Logger LOG = LoggerFactory.getLogger(OrderPlacementCheck.class);

    private final int partitions;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<String, OrderPlacement.Checked> context;
    private boolean reported;

    public OrderPlacementCheck(int partitions, PipelineMetrics metrics) {
        this.partitions = partitions;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, OrderPlacement.Checked> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, OrderEvent> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        int home = OrderPlacement.partitionOf(record.key(), partitions);
        boolean here = source.partition() == home;
        if (!here) {
            metrics.rerouted(source.topic());
            if (!reported) {
                reported = true;
                LOG.warn("order events arrive off their order's partition (first: {}-{}, order {} belongs to {} of {}"
                        + "); they are rerouted through enrich.order-events, an extra hop (metric "
                        + "sluice_enrich_rerouted_total). Place them at the source: PartitionByField with partitions={}"
                        + " in the CDC connector (docs/topology.md)", source.topic(), source.partition(), record.key(),
                        home, partitions, partitions);
            }
        }
        context.forward(record.withValue(new OrderPlacement.Checked(record.value(), here)));
    }
}
