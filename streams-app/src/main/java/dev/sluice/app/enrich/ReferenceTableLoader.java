package dev.sluice.app.enrich;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.dlq.Failures;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * Keeps a global reference table (customers, products, exchange rates) up to date from its compacted silver topic.
 * Global stores have no producer, so a record that cannot be decoded cannot be dead-lettered here: it is logged and
 * counted ({@code outcome=undecodable}); silver topics are written by this pipeline only, so this means someone
 * else wrote to them.
 */
public final class ReferenceTableLoader<K, V> implements Processor<byte[], byte[], Void, Void> {

    /** How one silver record changes the table; {@code value} is null for a tombstone of {@code silverKey}. */
    @FunctionalInterface
    public interface Update<K, V> {
        void apply(KeyValueStore<K, V> table, String silverKey, V value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceTableLoader.class);

    private final String table;
    private final String storeName;
    private final Deserializer<V> deserializer;
    private final Update<K, V> update;
    private final PipelineMetrics metrics;
    private final ReferenceChanges changes;
    private KeyValueStore<K, V> store;

    public ReferenceTableLoader(String table, String storeName, Deserializer<V> deserializer, Update<K, V> update,
            PipelineMetrics metrics, ReferenceChanges changes) {
        this.changes = changes;
        this.table = table;
        this.storeName = storeName;
        this.deserializer = deserializer;
        this.update = update;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.in(Stage.ENRICH, table);
        try {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            V value = record.value() == null ? null : deserializer.deserialize(table, record.headers(), record.value());
            if (key == null) {
                throw new IllegalArgumentException("a reference record without key");
            }
            update.apply(store, key, value);
            changes.changed();
            metrics.out(Stage.ENRICH, table, "loaded");
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            metrics.out(Stage.ENRICH, table, "undecodable");
            LOG.warn("reference record skipped table={} error={}", table, e.toString());
        }
    }
}
