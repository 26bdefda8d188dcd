package dev.sluice.app.tracing;

import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.sluice.app.dlq.Failure;
import dev.sluice.app.failure.Stage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

/**
 * Tracing of the pipeline: one span per stage a record passes, joined into one trace by the W3C trace context
 * ({@value #TRACEPARENT}, and {@value #TRACESTATE} when the producer sent one) in the records' Kafka headers.
 * A stage continues the trace of its input record's {@code traceparent} (a bronze record without one starts a new
 * trace) and writes its own span's context into the output record's headers, replacing the input's, so that the
 * next stage, topic or aggregate is its child.
 *
 * <p>Disabled (the default), every method returns at once: no header is read or written and nothing is
 * allocated, because the topology's throughput matters more than anything tracing could show.
 */
public final class Tracing implements AutoCloseable {

    /** W3C trace context header carried by bronze, silver and gold records. */
    public static final String TRACEPARENT = "traceparent";
    /** W3C vendor-specific trace state, carried along when present. */
    public static final String TRACESTATE = "tracestate";

    static final AttributeKey<String> STAGE = AttributeKey.stringKey("sluice.stage");
    static final AttributeKey<String> ENTITY = AttributeKey.stringKey("sluice.entity");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("sluice.error.code");
    static final AttributeKey<String> TOPIC = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<Long> PARTITION = AttributeKey.longKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    private static final Tracing DISABLED = new Tracing(OpenTelemetry.noop(), false, () -> { });
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final boolean enabled;
    private final AutoCloseable shutdown;

    private Tracing(OpenTelemetry openTelemetry, boolean enabled, AutoCloseable shutdown) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.sluice.streams-app");
        this.enabled = enabled;
        this.shutdown = shutdown;
    }

    /** No spans, no headers: the default. */
    public static Tracing disabled() {
        return DISABLED;
    }

    /** Tracing with spans made by {@code openTelemetry} (tests give an SDK with an in-memory exporter). */
    public static Tracing with(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry, true, () -> { });
    }

    /** Tracing with spans made by {@code openTelemetry}, shut down with {@link #close()}. */
    static Tracing owning(OpenTelemetry openTelemetry, AutoCloseable shutdown) {
        return new Tracing(openTelemetry, true, shutdown);
    }

    public boolean enabled() {
        return enabled;
    }

    public Tracer tracer() {
        return tracer;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /**
     * Starts the span of {@code stage} for the record being processed: a child of the trace context in
     * {@code headers}, a new trace when they carry none. Attributes name the stage, the entity and where the record
     * was read (never its content). The invalid span when disabled.
     */
    public Span startStage(String name, Stage stage, String entity, Headers headers, ProcessingContext context) {
        if (!enabled) {
            return Span.getInvalid();
        }
        Context parent = W3C.extract(Context.root(), headers, KafkaHeaders.INSTANCE);
        var span = tracer.spanBuilder(name).setParent(parent)
                .setAttribute(STAGE, stage.id())
                .setAttribute(ENTITY, entity);
        Optional<RecordMetadata> source = context.recordMetadata();
        if (source.isPresent() && source.get().topic() != null) {
            span.setAttribute(TOPIC, source.get().topic())
                    .setAttribute(PARTITION, (long) source.get().partition())
                    .setAttribute(OFFSET, source.get().offset());
        }
        return span.startSpan();
    }

    /**
     * Writes {@code span}'s context into {@code headers} (the output record's), replacing any trace context there,
     * so that whatever processes the output next continues the trace under this span.
     */
    public void inject(Span span, Headers headers) {
        if (!enabled || !span.getSpanContext().isValid()) {
            return;
        }
        headers.remove(TRACESTATE);
        W3C.inject(Context.root().with(span), headers, KafkaHeaders.INSTANCE);
    }

    /**
     * {@code record} as a child of {@code span}'s trace, for stages that forward their input record: a copy with the
     * span's context in its headers (the input's headers stay as read); {@code record} itself when disabled.
     */
    public <K, V> FixedKeyRecord<K, V> continued(FixedKeyRecord<K, V> record, Span span) {
        if (!enabled) {
            return record;
        }
        FixedKeyRecord<K, V> copy = record.withHeaders(record.headers());
        inject(span, copy.headers());
        return copy;
    }

    /** Ends {@code span} as the stage's record becomes a dead letter: status ERROR with the error code. */
    public static void fail(Span span, Failure failure) {
        if (span.isRecording()) {
            span.setAttribute(ERROR_CODE, failure.code().name());
            span.setStatus(StatusCode.ERROR, failure.code().name());
        }
        span.end();
    }

    /** Flushes and stops the exporter, if any. */
    @Override
    public void close() {
        try {
            shutdown.close();
        } catch (Exception e) {
            throw new IllegalStateException("tracing did not shut down: " + e.getMessage(), e);
        }
    }
}
