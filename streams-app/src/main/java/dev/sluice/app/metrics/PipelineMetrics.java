package dev.sluice.app.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sluice.app.dlq.ErrorCode;
import dev.sluice.app.dlq.Stage;
import dev.sluice.app.serde.SchemaCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Per-stage record counters of the pipeline, in Micrometer:
 * <ul>
 * <li>{@value #IN} {stage, entity}: records a stage received;</li>
 * <li>{@value #OUT} {stage, entity, outcome}: what became of them (valid, invalid, duplicate, enriched, flagged,
 * aggregated, late, skipped, ...);</li>
 * <li>{@value #INVALID} {entity, rule}: invalid records by the first rule they broke;</li>
 * <li>{@value #DLQ} {stage, code}: dead-letter records written;</li>
 * <li>{@value #REGISTRY} {event}: how the serdes used the schema registry — {@code request} (HTTP calls),
 * {@code lookup} (cache misses that went to the registry), {@code unknown-id-cached} (records with an id the
 * registry recently answered 404 for, rejected without asking) and {@code outage} (lookups given up because the
 * registry could not answer: the stream thread stopped and was replaced).</li>
 * </ul>
 * Counters are not transactional: after a crash, records reprocessed under exactly-once are counted again.
 */
public final class PipelineMetrics {

    public static final String IN = "sluice.records.in";
    public static final String OUT = "sluice.records.out";
    public static final String INVALID = "sluice.records.invalid";
    public static final String DLQ = "sluice.records.dlq";
    public static final String REGISTRY = "sluice.registry.events";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics kept in memory only, for code paths without a configured registry. */
    public static PipelineMetrics inMemory() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    public void in(Stage stage, String entity) {
        counter(IN, "stage", stage.id(), "entity", entity).increment();
    }

    public void out(Stage stage, String entity, String outcome) {
        counter(OUT, "stage", stage.id(), "entity", entity, "outcome", outcome).increment();
    }

    public void invalid(String entity, String rule) {
        counter(INVALID, "entity", entity, "rule", rule).increment();
    }

    public void deadLetter(Stage stage, ErrorCode code) {
        counter(DLQ, "stage", stage.id(), "code", code.name()).increment();
    }

    /** Publishes the schema cache's counters under {@value #REGISTRY}. */
    public void bindRegistry(SchemaCache cache) {
        FunctionCounter.builder(REGISTRY, cache, c -> c.client().requests()).tag("event", "request")
                .register(registry);
        FunctionCounter.builder(REGISTRY, cache, SchemaCache::registryLookups).tag("event", "lookup")
                .register(registry);
        FunctionCounter.builder(REGISTRY, cache, SchemaCache::unknownIdHits).tag("event", "unknown-id-cached")
                .register(registry);
        FunctionCounter.builder(REGISTRY, cache, SchemaCache::outages).tag("event", "outage").register(registry);
    }

    /** Current value of a counter, 0 when it was never incremented; for tests and the status page. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Sum of every counter of {@code name} that has the given tags (others free). */
    public double sum(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join("\u0000", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
