package dev.sluice.app.placement;

import dev.sluice.app.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the records that arrived on their key's partition ({@link KeyPlacement}), which the keyed stage behind takes
 * as they are, from the others, which must be rerouted there first. The others are counted per source topic, and the
 * first of them in a task is logged once, with {@code remedy}: they mean the source does not place its records by
 * the stage's key (or its partition count differs from {@code sluice.topics.partitions}).
 */
public final class KeyPlacementCheck<K, V> implements FixedKeyProcessor<K, V, KeyPlacement.Checked<V>> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyPlacementCheck.class);

    private final String what;
    private final Function<K, byte[]> keyBytes;
    private final int partitions;
    private final String remedy;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<K, KeyPlacement.Checked<V>> context;
    private boolean reported;

    /**
     * @param what the records, as the log line names them ("order events")
     * @param keyBytes the key as the partitioner sees it (serialized)
     * @param remedy how to place them at the source, for the log line
     */
    public KeyPlacementCheck(String what, Function<K, byte[]> keyBytes, int partitions, String remedy,
            PipelineMetrics metrics) {
        this.what = what;
        this.keyBytes = keyBytes;
        this.partitions = partitions;
        this.remedy = remedy;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, KeyPlacement.Checked<V>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        byte[] key = keyBytes.apply(record.key());
        int home = KeyPlacement.partitionOf(key, partitions);
        boolean here = source.partition() == home;
        if (!here) {
            metrics.rerouted(source.topic());
            if (!reported) {
                reported = true;
                LOG.warn("{} arrive off their key's partition (first: {}-{}, key {} belongs to {} of {}); they are "
                        + "rerouted there, an extra hop (metric sluice_records_rerouted_total). {}", what,
                        source.topic(), source.partition(), new String(key, StandardCharsets.UTF_8), home, partitions,
                        remedy);
            }
        }
        context.forward(record.withValue(new KeyPlacement.Checked<>(record.value(), here)));
    }
}
