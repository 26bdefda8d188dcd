package dev.sluice.app.ingest;

import java.time.Duration;
import java.util.function.Function;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.sluice.app.dlq.ErrorCode;
import dev.sluice.app.dlq.Failure;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.metrics.PipelineMetrics;

/**
 * Stage dedupe: a record whose identity (event id, or primary key plus log position for changes) was seen within
 * the window around its timestamp is a replay; it becomes a {@link ErrorCode#DUPLICATE} failure, so that it is
 * visible in {@code dlq.dedupe} and never counts twice. Identities live in a window store that forgets them once
 * stream time has moved past the window.
 */
public final class DedupeProcessor<K, T> implements FixedKeyProcessor<K, Staged<T>, Staged<T>> {

    private final String entity;
    private final String storeName;
    private final Duration window;
    private final Function<T, String> identity;
    private final PipelineMetrics metrics;
    private FixedKeyProcessorContext<K, Staged<T>> context;
    private WindowStore<String, Long> seen;

    /**
     * @param identity the identity of a value; null when the value has none (it then passes undeduplicated)
     */
    public DedupeProcessor(String entity, String storeName, Duration window, Function<T, String> identity,
            PipelineMetrics metrics) {
        this.entity = entity;
        this.storeName = storeName;
        this.window = window;
        this.identity = identity;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, Staged<T>> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<K, Staged<T>> record) {
        Staged<T> staged = record.value();
        if (staged.failed()) {
            context.forward(record);
            return;
        }
        metrics.in(Stage.DEDUPE, entity);
        String id = staged.value() == null ? null : identity.apply(staged.value());
        if (id == null) {
            metrics.out(Stage.DEDUPE, entity, "unique");
            context.forward(record);
            return;
        }
        long time = record.timestamp();
        boolean duplicate;
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, time - window.toMillis(), time + window.toMillis())) {
            duplicate = earlier.hasNext();
        }
        if (duplicate) {
            metrics.out(Stage.DEDUPE, entity, "duplicate");
            context.forward(record.withValue(staged.fail(Failure.of(Stage.DEDUPE, ErrorCode.DUPLICATE,
                    entity + " " + id + " was already seen within " + window))));
            return;
        }
        seen.put(id, time, time);
        metrics.out(Stage.DEDUPE, entity, "unique");
        context.forward(record);
    }
}
