package dev.sluice.app.aggregate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.sluice.app.dlq.Failure;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.ingest.Staged;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * Stage late, directly in front of a window aggregation: an event whose window has closed becomes a
 * {@link ErrorCode#LATE_EVENT} failure, so it lands in {@code dlq.late} (its silver key and value, re-serialized,
 * and its headers) instead of being dropped by the aggregation. Stream time is kept in a store, so that after a
 * restart the gate is never more lenient than the aggregation behind it.
 */
public final class LateEventGate<K, V> implements FixedKeyProcessor<K, V, Staged<V>> {

    private static final String STREAM_TIME = "stream-time";

    private final String aggregate;
    private final String storeName;
    private final Lateness lateness;
    private final String silverTopic;
    private final Function<V, String> silverKey;
    private final Serializer<V> silverSerializer;
    private final PipelineMetrics metrics;
    private final Tracing tracing;
    private FixedKeyProcessorContext<K, Staged<V>> context;
    private KeyValueStore<String, Long> clock;

    public LateEventGate(String aggregate, String storeName, Lateness lateness, String silverTopic,
            Function<V, String> silverKey, Serializer<V> silverSerializer, PipelineMetrics metrics, Tracing tracing) {
        this.aggregate = aggregate;
        this.storeName = storeName;
        this.lateness = lateness;
        this.silverTopic = silverTopic;
        this.silverKey = silverKey;
        this.silverSerializer = silverSerializer;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, Staged<V>> context) {
        this.context = context;
        this.clock = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        Span span = tracing.startStage(Stage.LATE.id(), Stage.LATE, aggregate, record.headers(), context);
        long eventTime = record.timestamp();
        Long stored = clock.get(STREAM_TIME);
        long streamTime = stored == null ? eventTime : Math.max(stored, eventTime);
        if (stored == null || streamTime != stored) {
            clock.put(STREAM_TIME, streamTime);
        }
        V value = record.value();
        if (!lateness.late(eventTime, streamTime)) {
            metrics.out(Stage.AGGREGATE, aggregate, "on-time");
            span.end();
            forward(record.withValue(Staged.ok(null, null, value)), span);
            return;
        }
        metrics.out(Stage.AGGREGATE, aggregate, "late");
        byte[] key = silverKey.apply(value).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = silverSerializer.serialize(silverTopic, value);
        Failure failure = Failure.of(Stage.LATE, ErrorCode.LATE_EVENT,
                aggregate + ": event time " + Instant.ofEpochMilli(eventTime) + " is beyond the grace period; stream time is "
                        + Instant.ofEpochMilli(streamTime));
        Tracing.fail(span, failure);
        forward(record.withValue(Staged.failed(key, bytes, failure)), span);
    }

    /** Forwards {@code record} (a copy, headers included) as a child of {@code span}'s trace. */
    private void forward(FixedKeyRecord<K, Staged<V>> record, Span span) {
        tracing.inject(span, record.headers());
        context.forward(record);
    }
}
