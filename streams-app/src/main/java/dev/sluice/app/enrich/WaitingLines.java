package dev.sluice.app.enrich;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which lines of an order have changes waiting in {@code enrich.pending-lines}, so that an arriving order releases
 * its lines with point reads. A prefix scan of the store per order cost about a tenth of the stream thread's CPU
 * (a RocksDB iterator plus the cache's merged iterator for every order; docs/topology.md).
 *
 * <p>Held in memory only and rebuilt from the store when the processor is initialised, which Kafka Streams does after
 * the store is restored, also after an exactly-once abort (the task's state is wiped, restored and the processor
 * initialised again): the index never disagrees with the store it summarises.
 */
final class WaitingLines {

    private final Map<Long, Set<String>> byOrder = new HashMap<>();

    /** Rebuilds the index from every line key in {@code pendingLines}. */
    void rebuild(KeyValueStore<String, ?> pendingLines) {
        byOrder.clear();
        try (KeyValueIterator<String, ?> all = pendingLines.all()) {
            all.forEachRemaining(entry -> add(entry.key));
        }
    }

    void add(String lineKey) {
        byOrder.computeIfAbsent(orderOf(lineKey), order -> new LinkedHashSet<>()).add(lineKey);
    }

    void remove(String lineKey) {
        long order = orderOf(lineKey);
        Set<String> lines = byOrder.get(order);
        if (lines != null && lines.remove(lineKey) && lines.isEmpty()) {
            byOrder.remove(order);
        }
    }

    /** The keys of the order's waiting lines, a copy (releasing them changes the index). */
    List<String> of(long orderId) {
        Set<String> lines = byOrder.get(orderId);
        return lines == null ? List.of() : List.copyOf(lines);
    }

    private static long orderOf(String lineKey) {
        return Long.parseLong(lineKey, 0, lineKey.indexOf(':'), 10);
    }
}
