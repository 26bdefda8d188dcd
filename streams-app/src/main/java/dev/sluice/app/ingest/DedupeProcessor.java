package dev.sluice.app.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.dlq.Failure;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.tracing.Tracing;
import io.opentelemetry.api.trace.Span;

/**
 * Stage dedupe: a record whose identity (event id, or primary key plus log position for changes) was seen within
 * the window around its timestamp is a replay; it becomes a {@link ErrorCode#DUPLICATE} failure, so that it is
 * visible in {@code dlq.dedupe} and never counts twice. Identities live in a window store that forgets them once
 * stream time has moved past the window.
 *
 * <p>Point lookups, not a range scan: an identity is stored with its time as value under the start of its
 * window-sized bucket, so the identities within the window of a record are in its own bucket or the two next to it,
 * three point reads. A range fetch per record (a RocksDB iterator over the store's segments plus the cache's merged
 * iterator) was about a tenth of the stream thread's CPU, and Kafka's in-memory window store answers it by walking
 * every window start in the range (docs/topology.md). The store therefore retains {@link #retention(Duration) two
 * windows}: every identity whose time is within one window of stream time is still there.
 *
 * <p>A redriven dead letter (header {@value DeadLetterHeaders#REPLAY_OF}) is deduplicated by the dead letter it
 * replays, not by its own identity: that identity may be in the store from its own failed attempt (when it failed
 * after this stage), and it must not be turned away as a copy of it. A second copy of the same redrive is a copy,
 * though: the redrive ledger keeps a dead letter from being redriven twice, and this is its backstop within the window
 * (two instances racing, a ledger topic deleted). Its own identity is remembered too, so that the source sending the
 * same change again later is still a duplicate.
 */
public final class DedupeProcessor<K, T> implements FixedKeyProcessor<K, Staged<T>, Staged<T>> {

    /** Sets replay identities apart from the configured ones (field values joined by '|'). */
    private static final String REPLAY_PREFIX = "replay-of:";

    private final String entity;
    private final String storeName;
    private final Duration window;
    private final Function<T, String> identity;
    private final PipelineMetrics metrics;
    private final Tracing tracing;
    private FixedKeyProcessorContext<K, Staged<T>> context;
    private WindowStore<String, Long> seen;

    /**
     * @param identity the identity of a value; null when the value has none (it then passes undeduplicated)
     */
    public DedupeProcessor(String entity, String storeName, Duration window, Function<T, String> identity,
            PipelineMetrics metrics, Tracing tracing) {
        this.entity = entity;
        this.storeName = storeName;
        this.window = window;
        this.identity = identity;
        this.metrics = metrics;
        this.tracing = tracing;
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
        Span span = tracing.startStage(Stage.DEDUPE.id(), Stage.DEDUPE, entity, record.headers(), context);
        String natural = staged.value() == null ? null : identity.apply(staged.value());
        String replayOf = replayOf(record.headers());
        String id = replayOf != null ? REPLAY_PREFIX + replayOf : natural;
        if (id == null) {
            metrics.out(Stage.DEDUPE, entity, "unique");
            span.end();
            context.forward(tracing.continued(record, span));
            return;
        }
        long time = record.timestamp();
        long width = window.toMillis();
        long bucket = Math.floorDiv(time, width) * width;
        boolean duplicate = seenNear(id, time, bucket) || seenNear(id, time, bucket - width)
                || seenNear(id, time, bucket + width);
        if (duplicate) {
            metrics.out(Stage.DEDUPE, entity, "duplicate");
            Failure failure = Failure.of(Stage.DEDUPE, ErrorCode.DUPLICATE,
                    entity + " " + id + " was already seen within " + window);
            Tracing.fail(span, failure);
            context.forward(tracing.continued(record.withValue(staged.fail(failure)), span));
            return;
        }
        seen.put(id, time, bucket);
        if (replayOf != null && natural != null) {
            seen.put(natural, time, bucket);
        }
        metrics.out(Stage.DEDUPE, entity, "unique");
        span.end();
        context.forward(tracing.continued(record, span));
    }

    private static String replayOf(Headers headers) {
        Header header = headers.lastHeader(DeadLetterHeaders.REPLAY_OF);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Whether {@code id} was stored in the bucket starting at {@code bucket} at most one window from {@code time}. */
    private boolean seenNear(String id, long time, long bucket) {
        Long at = seen.fetch(id, bucket);
        return at != null && Math.abs(at - time) <= window.toMillis();
    }

    /** How long the store must keep an identity: its bucket may start up to one window before its time. */
    public static Duration retention(Duration window) {
        return window.multipliedBy(2);
    }
}
