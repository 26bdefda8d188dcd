package dev.sluice.app.enrich;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.sluice.app.serde.InternalSerde;
import dev.sluice.schemas.internal.OrderEvent;
import dev.sluice.schemas.internal.PendingEvent;
import dev.sluice.schemas.internal.PendingEvents;
import dev.sluice.schemas.internal.PendingHeader;

/**
 * Order events waiting for a reference, a first-in first-out queue per key kept in a state store (so that waiting
 * survives a restart and a rebalance): each with its record's timestamp, headers and the wall-clock time it first
 * waited. Not thread-safe: one per processor.
 */
final class PendingQueue {

    /** An event as it waits. */
    record Waiting(OrderEvent event, long timestamp, Headers headers, long firstSeenMs) {
    }

    /** Tries to emit a waiting event: false when it must go on waiting. */
    @FunctionalInterface
    interface Attempt {
        boolean emit(Waiting waiting);
    }

    private final KeyValueStore<String, PendingEvents> store;
    private final InternalSerde<OrderEvent> events = InternalSerde.of(OrderEvent.class);

    PendingQueue(KeyValueStore<String, PendingEvents> store) {
        this.store = store;
    }

    /** Whether events of {@code key} wait: a later event of the key must then wait behind them. */
    boolean hasWaiting(String key) {
        return store.get(key) != null;
    }

    /** Appends {@code event} to {@code key}'s queue, first seen at {@code now}. */
    void append(String key, OrderEvent event, long timestamp, Headers headers, long now) {
        PendingEvents queue = store.get(key);
        if (queue == null) {
            queue = new PendingEvents(new ArrayList<>());
        }
        queue.getEvents().add(new PendingEvent(ByteBuffer.wrap(events.encode(event)), timestamp, now,
                stored(headers)));
        store.put(key, queue);
    }

    /**
     * Offers {@code key}'s waiting events to {@code attempt} in order, up to the first that must go on waiting, and
     * drops those emitted.
     *
     * @return when the first event still waiting first waited; empty when none waits (any more)
     */
    OptionalLong drain(String key, Attempt attempt) {
        PendingEvents queue = store.get(key);
        if (queue == null) {
            return OptionalLong.empty();
        }
        List<PendingEvent> waiting = queue.getEvents();
        int emitted = 0;
        for (PendingEvent entry : waiting) {
            if (!attempt.emit(new Waiting(events.decode(bytes(entry.getPayload())), entry.getTimestamp(),
                    headers(entry.getHeaders()), entry.getFirstSeenMs()))) {
                break;
            }
            emitted++;
        }
        if (emitted == waiting.size()) {
            store.delete(key);
            return OptionalLong.empty();
        }
        if (emitted > 0) {
            store.put(key, new PendingEvents(new ArrayList<>(waiting.subList(emitted, waiting.size()))));
        }
        return OptionalLong.of(waiting.get(emitted).getFirstSeenMs());
    }

    /** The keys with waiting events, a copy (draining changes the store). */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, PendingEvents> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private static List<PendingHeader> stored(Headers headers) {
        List<PendingHeader> out = new ArrayList<>();
        for (Header header : headers) {
            out.add(new PendingHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        return out;
    }

    private static Headers headers(List<PendingHeader> stored) {
        RecordHeaders headers = new RecordHeaders();
        for (PendingHeader header : stored) {
            headers.add(header.getKey(), header.getValue() == null ? null : bytes(header.getValue()));
        }
        return headers;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
