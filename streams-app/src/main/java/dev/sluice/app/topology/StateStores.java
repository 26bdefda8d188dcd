package dev.sluice.app.topology;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Store suppliers of one kind for the whole topology: persistent (RocksDB, the default) or in memory (tests and
 * benchmarks that measure processing, not disks). Either way stores are backed by changelog topics.
 */
public final class StateStores {

    private final boolean inMemory;

    public StateStores(boolean inMemory) {
        this.inMemory = inMemory;
    }

    public KeyValueBytesStoreSupplier keyValue(String name) {
        return inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentTimestampedKeyValueStore(name);
    }

    public WindowBytesStoreSupplier window(String name, Duration retention, Duration size) {
        return inMemory ? Stores.inMemoryWindowStore(name, retention, size, false)
                : Stores.persistentTimestampedWindowStore(name, retention, size, false);
    }

    public SessionBytesStoreSupplier session(String name, Duration retention) {
        return inMemory ? Stores.inMemorySessionStore(name, retention) : Stores.persistentSessionStore(name, retention);
    }

    /**
     * A key-value store of a processor (late-gate clocks, the enricher's waiting changes). Cached, like the DSL's
     * stores: reads and writes of a key within one commit interval stay in memory, and the store and its changelog
     * get one write per key per commit instead of one per record (a late-gate clock is written for nearly every
     * record; a line that waits for its order is put and deleted again).
     */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueStore(String name, Serde<K> keys, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = inMemory ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, keys, values).withCachingEnabled();
    }

    /**
     * A key-value store whose keys are each written about once and read soon after (the order enricher's state: one
     * put per order event, read by that order's lines), each value with the time it was written, which its TTL judges
     * by. Persistent, it opens a store that kept no timestamps in upgrade mode: those entries read with timestamp -1
     * until written again. Not cached, for the reason the dedupe stores are not: every
     * order ever seen stayed in the thread's 10 MB record cache, and once that was full each put to a gold store
     * evicted, and so forwarded, that store's own dirty entries — one gold record per line instead of one per key
     * per commit (119,554 product-hour updates for 119,554 lines in the benchmark).
     */
    public <K, V> StoreBuilder<TimestampedKeyValueStore<K, V>> uncachedTimestampedKeyValueStore(String name,
            Serde<K> keys, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = inMemory ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentTimestampedKeyValueStore(name);
        return Stores.timestampedKeyValueStoreBuilder(supplier, keys, values);
    }

    /**
     * A global store (a reference table every task reads). Always in memory, rebuilt from its topic at every start:
     * Kafka Streams 4.3 cannot recover a persistent global store that an unclean shutdown left open under
     * exactly-once (it throws in the global thread, which stops the whole client; KAFKA-21034), so a RocksDB
     * global store turns one {@code kill -9} into a crash loop. The reference tables are small compacted topics,
     * and in-memory reads are also the cheapest on the enrich path.
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> globalKeyValueStore(String name, Serde<K> keys,
            Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values).withLoggingDisabled();
    }

    /**
     * A window store of a processor (dedupe identities, bucketed by {@code window}). Not cached: an identity is
     * written once and read again only for a replay, so the record cache would only fill up with it. The cache is
     * shared by every store of a stream thread; full of identities, it evicted the gold aggregates' entries and
     * flushed their dirty entries record by record, defeating the coalescing the aggregates rely on.
     */
    public <K, V> StoreBuilder<WindowStore<K, V>> windowStore(String name, Duration retention, Duration window,
            Serde<K> keys, Serde<V> values) {
        WindowBytesStoreSupplier supplier = inMemory ? Stores.inMemoryWindowStore(name, retention, window, false)
                : Stores.persistentWindowStore(name, retention, window, false);
        return Stores.windowStoreBuilder(supplier, keys, values);
    }
}
