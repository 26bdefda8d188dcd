package dev.sluice.app.enrich;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import dev.sluice.schemas.internal.Order;

/**
 * Drops orders from {@code enrich.orders} that will see no more lines: those in a terminal status
 * {@link EnrichSettings#getTerminalOrderTtl()} after their last change, every order
 * {@link EnrichSettings#getOrderMaxAge()} after it. Each entry's timestamp is the wall-clock time of its last change
 * (the enricher's clock).
 *
 * <p>A sweep looks at no more than {@link EnrichSettings#getOrderSweepBudget()} orders, from where the last one
 * stopped, in key order, and starts over at the end of the store: the work per punctuation is bounded whatever the
 * store's size, and an order is dropped at most one pass (store size / budget sweeps) after it is due. The position
 * is held in memory; after a restart the next pass starts from the first key, which only delays a drop.
 */
final class OrderExpiry {

    /** The timestamp of an entry that a plain key-value store held before this store kept timestamps. */
    private static final long UNKNOWN = -1;

    private final Set<String> terminalStatuses;
    private final long terminalTtlMs;
    private final long maxAgeMs;
    private final int budget;
    /** The key the next sweep starts at; null: the first key of the store. */
    private String resumeAt;

    OrderExpiry(EnrichSettings settings) {
        this.terminalStatuses = settings.getTerminalStatuses();
        this.terminalTtlMs = settings.getTerminalOrderTtl().toMillis();
        this.maxAgeMs = settings.getOrderMaxAge().toMillis();
        this.budget = settings.getOrderSweepBudget();
    }

    /**
     * One sweep at wall-clock time {@code now}: deletes the due orders (each delete writes the changelog's
     * tombstone) and stamps entries without a timestamp with {@code now}, so that they expire a full TTL after the
     * upgrade that found them rather than at once.
     *
     * @return how many orders it deleted
     */
    int sweep(TimestampedKeyValueStore<String, Order> orders, long now) {
        List<String> due = new ArrayList<>();
        List<KeyValue<String, Order>> unstamped = new ArrayList<>();
        int visited = 0;
        // Collected first and written after the iterator is closed: a store's iterator need not see writes made
        // while it is open, nor tolerate them.
        try (KeyValueIterator<String, ValueAndTimestamp<Order>> entries = resumeAt == null ? orders.all()
                : orders.range(resumeAt, null)) {
            while (visited < budget && entries.hasNext()) {
                KeyValue<String, ValueAndTimestamp<Order>> entry = entries.next();
                visited++;
                long changedAt = entry.value.timestamp();
                if (changedAt == UNKNOWN) {
                    unstamped.add(KeyValue.pair(entry.key, entry.value.value()));
                } else if (isDue(entry.value.value(), now - changedAt)) {
                    due.add(entry.key);
                }
            }
            resumeAt = entries.hasNext() ? entries.peekNextKey() : null;
        }
        due.forEach(orders::delete);
        unstamped.forEach(entry -> orders.put(entry.key, ValueAndTimestamp.make(entry.value, now)));
        return due.size();
    }

    private boolean isDue(Order order, long ageMs) {
        return ageMs >= maxAgeMs || ageMs >= terminalTtlMs && terminalStatuses.contains(order.getStatus());
    }
}
