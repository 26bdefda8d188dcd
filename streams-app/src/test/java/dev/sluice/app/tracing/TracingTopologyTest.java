package dev.sluice.app.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.app.failure.Stage;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.silver.EnrichedOrder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * One bronze order yields one connected trace: a span per stage from deserialize to the gold aggregates, joined
 * through the {@code traceparent} header of the records between them, and the silver and gold records carry it.
 * The topology is the app's ({@link PipelineDriver}), the spans the SDK's, kept by its in-memory exporter.
 */
class TracingTopologyTest {

    private static final Instant ORDERED = PipelineDriver.NOW.minusSeconds(120);
    /** Path from the bronze record to the silver order: bronze stages, mapping, join. */
    private static final List<String> TO_SILVER = List.of("deserialize", "validate", "dedupe", "enrich",
            "enrich.join");

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private PipelineDriver pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        provider.close();
    }

    private void start(boolean traced) {
        Tracing tracing = traced
                ? Tracing.with(OpenTelemetrySdk.builder().setTracerProvider(provider).build())
                : Tracing.disabled();
        pipeline = PipelineDriver.start(options -> options.tracing = tracing);
        pipeline.rate(Rows.rate(1, "USD", "0.92", PipelineDriver.NOW.minus(Duration.ofDays(1))));
        pipeline.customer(Rows.customer(1));
    }

    @Test
    void aBronzeOrderYieldsOneConnectedTraceThroughSilverAndGold() {
        start(true);
        pipeline.order(Rows.order(100, 1, "USD", "100.00", ORDERED));

        Out<String, EnrichedOrder> silver = only(pipeline.read(pipeline.topics().getSilverOrders(),
                EnrichedOrder.class));
        TraceParent silverContext = TraceParent.of(silver.header(Tracing.TRACEPARENT));
        List<SpanData> trace = spansOf(silverContext.traceId());
        Map<String, SpanData> byId = trace.stream()
                .collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));

        List<SpanData> roots = trace.stream().filter(span -> !span.getParentSpanContext().isValid()).toList();
        assertEquals(1, roots.size(), "one root: " + names(trace));
        SpanData root = roots.get(0);
        assertEquals("deserialize", root.getName());
        assertEquals("orders", root.getAttributes().get(Tracing.ENTITY));
        assertEquals(pipeline.topics().getOrders(), root.getAttributes().get(Tracing.TOPIC));
        for (SpanData span : trace) {
            assertTrue(span == root || byId.containsKey(span.getParentSpanId()),
                    span.getName() + "'s parent is in the trace");
            assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode(), span.getName());
        }
        assertEquals(TO_SILVER, path(byId, silverContext.spanId()), "the silver order's span and its ancestors");

        List<String> toGold = new ArrayList<>(TO_SILVER);
        toGold.addAll(List.of("dedupe", "late", "aggregate"));
        for (Out<String, ?> gold : List.of(
                only(pipeline.read(pipeline.topics().getGoldRegionRevenueDaily(), RegionRevenueDaily.class)),
                only(pipeline.read(pipeline.topics().getGoldCustomerTotals(), CustomerTotals.class)))) {
            TraceParent goldContext = TraceParent.of(gold.header(Tracing.TRACEPARENT));
            assertEquals(silverContext.traceId(), goldContext.traceId(), "gold continues the order's trace");
            assertEquals(toGold, path(byId, goldContext.spanId()));
        }
    }

    @Test
    void aBronzeRecordWithAProducersTraceParentContinuesThatTrace() {
        start(true);
        String producerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String producerSpan = "00f067aa0ba902b7";
        RecordHeaders headers = new RecordHeaders();
        headers.add(Tracing.TRACEPARENT, ("00-" + producerTrace + "-" + producerSpan + "-01")
                .getBytes(StandardCharsets.UTF_8));
        String topic = pipeline.topics().getOrders();
        pipeline.send(topic, pipeline.bronze().key(topic, BronzeSchemas.ORDER_KEY, 101L),
                pipeline.bronze().value(topic, BronzeSchemas.ORDER, Rows.order(101, 1, "USD", "5.00", ORDERED)),
                headers, pipeline.now());

        TraceParent silver = TraceParent.of(only(pipeline.read(pipeline.topics().getSilverOrders(),
                EnrichedOrder.class)).header(Tracing.TRACEPARENT));
        assertEquals(producerTrace, silver.traceId());
        List<SpanData> trace = spansOf(producerTrace);
        SpanData deserialize = only(trace.stream().filter(span -> span.getName().equals("deserialize")).toList());
        assertEquals(producerSpan, deserialize.getParentSpanId(), "the first stage is the producer's span's child");
        assertTrue(deserialize.getParentSpanContext().isRemote());
        assertNotEquals(producerSpan, silver.spanId(), "silver carries the pipeline's span, not the producer's");
    }

    @Test
    void anUndecodableRecordsSpanIsAnErrorAndItsDeadLetterCarriesIt() {
        start(true);
        pipeline.send(pipeline.topics().getOrders(), null, "not avro".getBytes(StandardCharsets.UTF_8));

        Out<byte[], byte[]> deadLetter = only(pipeline.deadLetters(Stage.DESERIALIZE));
        TraceParent context = TraceParent.of(deadLetter.header(Tracing.TRACEPARENT));
        SpanData span = only(spansOf(context.traceId()));
        assertEquals(context.spanId(), span.getSpanId());
        assertEquals("deserialize", span.getName());
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals("DESERIALIZATION_FAILED", span.getAttributes().get(Tracing.ERROR_CODE));
    }

    @Test
    void aReplaysDedupeSpanIsAnError() {
        start(true);
        Map<String, Object> order = Rows.order(102, 1, "USD", "5.00", ORDERED);
        pipeline.order(order);
        pipeline.order(order);

        TraceParent context = TraceParent.of(only(pipeline.deadLetters(Stage.DEDUPE)).header(Tracing.TRACEPARENT));
        List<SpanData> trace = spansOf(context.traceId());
        assertEquals(List.of("deserialize", "validate", "dedupe"), names(trace));
        SpanData dedupe = trace.get(2);
        assertEquals(context.spanId(), dedupe.getSpanId());
        assertEquals(StatusCode.ERROR, dedupe.getStatus().getStatusCode());
        assertEquals("DUPLICATE", dedupe.getAttributes().get(Tracing.ERROR_CODE));
    }

    @Test
    void disabledTracingAddsNoTraceParent() {
        start(false);
        pipeline.order(Rows.order(103, 1, "USD", "5.00", ORDERED));

        assertNull(only(pipeline.read(pipeline.topics().getSilverOrders(), EnrichedOrder.class))
                .header(Tracing.TRACEPARENT));
        assertNull(only(pipeline.read(pipeline.topics().getGoldRegionRevenueDaily(), RegionRevenueDaily.class))
                .header(Tracing.TRACEPARENT));
        assertNull(only(pipeline.read(pipeline.topics().getGoldCustomerTotals(), CustomerTotals.class))
                .header(Tracing.TRACEPARENT));
        assertTrue(exported.getFinishedSpanItems().isEmpty());
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(SpanData::getName).toList();
    }

    /** Names from the root to {@code spanId}, following parents. */
    private static List<String> path(Map<String, SpanData> byId, String spanId) {
        List<String> names = new ArrayList<>();
        SpanData span = byId.get(spanId);
        assertNotNull(span, "span " + spanId + " was exported in this trace");
        while (span != null) {
            names.add(span.getName());
            span = span.getParentSpanContext().isValid() ? byId.get(span.getParentSpanId()) : null;
        }
        Collections.reverse(names);
        return names;
    }

    private List<SpanData> spansOf(String traceId) {
        return exported.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static <T> T only(List<T> list) {
        assertEquals(1, list.size(), "exactly one record: " + list);
        return list.get(0);
    }

    /** A W3C traceparent {@code 00-<trace id>-<span id>-<flags>}. */
    private record TraceParent(String traceId, String spanId) {
        static TraceParent of(String header) {
            assertNotNull(header, "a traceparent header");
            String[] parts = header.split("-");
            assertEquals(4, parts.length, header);
            return new TraceParent(parts[1], parts[2]);
        }
    }
}
