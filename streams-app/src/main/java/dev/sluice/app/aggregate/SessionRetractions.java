package dev.sluice.app.aggregate;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Passes a session store's changes on to gold, except the retractions gold does not need. When an event extends a
 * session, Kafka Streams removes the old window and adds the longer one; both have the same start, so they are the
 * same gold key ({@code <user>@<start>}) and the new value replaces the old one anyway. Such a retraction was one gold
 * record per user event (half of {@code gold.user_sessions}), and a delete for the lake to write. A session merged
 * into one that starts earlier is a real retraction and is kept: no session with its start is left in the store.
 *
 * <p>It relies on the store's record cache, which forwards the retraction and the new session together at the commit.
 * Without a cache, or when a full cache flushes between the two, the retraction arrives before the new session is
 * stored and passes: never a wrong result, only the record this saves.
 */
public final class SessionRetractions<K, V> implements FixedKeyProcessor<Windowed<K>, V, V> {

    private final String storeName;
    private FixedKeyProcessorContext<Windowed<K>, V> context;
    private SessionStore<K, V> sessions;

    public SessionRetractions(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<Windowed<K>, V> context) {
        this.context = context;
        this.sessions = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<Windowed<K>, V> record) {
        if (record.value() == null && sessionStartsAt(record.key().key(), record.key().window().start())) {
            return;
        }
        context.forward(record);
    }

    private boolean sessionStartsAt(K key, long start) {
        try (KeyValueIterator<Windowed<K>, V> overlapping = sessions.findSessions(key, start, start)) {
            while (overlapping.hasNext()) {
                if (overlapping.next().key.window().start() == start) {
                    return true;
                }
            }
        }
        return false;
    }
}
