package dev.sluice.app.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.freshness.FreshnessMetrics;
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
 * registry could not answer: the stream thread stopped and was replaced);</li>
 * <li>{@value #EXPIRED} {store}: entries a state store's TTL dropped (docs/topology.md, "State stores and their
 * bounds");</li>
 * <li>{@value #STATUS_CALLS} {call}: computations of the status API that ask other instances, the Kafka admin API
 * or Kafka Connect ({@code instances}, {@code lag}, {@code connectors}); concurrent and repeated requests within
 * {@code sluice.status.cache-ttl} share one;</li>
 * <li>{@value #CONNECTOR_RESTARTS} {connector, task}: failed connector tasks restarted automatically
 * ({@code sluice_connector_task_restarts_total} at /prometheus).</li>
 * </ul>
 * The freshness timers {@value FreshnessMetrics#NAME} are {@link #freshness()}'s.
 * Counters are not transactional: after a crash, records reprocessed under exactly-once are counted again.
 */
public final class PipelineMetrics {

    public static final String IN = "sluice.records.in";
    public static final String OUT = "sluice.records.out";
    public static final String INVALID = "sluice.records.invalid";
    public static final String DLQ = "sluice.records.dlq";
    public static final String REGISTRY = "sluice.registry.events";
    public static final String REROUTED = "sluice.records.rerouted";
    public static final String EXPIRED = "sluice.store.expired";
    public static final String STATUS_CALLS = "sluice.status.calls";
    public static final String CONNECTOR_RESTARTS = "sluice.connector.task.restarts";
    public static final String SCHEMA_REJECTED = "sluice.silver.schema.rejected";

    private final MeterRegistry registry;
    private final FreshnessMetrics freshness;
    /**
     * Counters by name and tag values. Looked up several times per record, so the key is a plain record rather than a
     * string built per call (that, with the tag arrays, was 4% of the stream thread's CPU).
     */
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    private record Key(String name, Object first, String second, String third) {
    }

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.freshness = new FreshnessMetrics(registry);
    }

    /** Metrics kept in memory only, for code paths without a configured registry. */
    public static PipelineMetrics inMemory() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    /** End-to-end latency per layer and dataset, on the same registry (and its clock). */
    public FreshnessMetrics freshness() {
        return freshness;
    }

    public void in(Stage stage, String entity) {
        increment(new Key(IN, stage, entity, null));
    }

    public void out(Stage stage, String entity, String outcome) {
        increment(new Key(OUT, stage, entity, outcome));
    }

    public void invalid(String entity, String rule) {
        increment(new Key(INVALID, entity, rule, null));
    }

    public void deadLetter(Stage stage, ErrorCode code) {
        increment(new Key(DLQ, stage, code.name(), null));
    }

    /** A record that arrived off its key's partition and takes the reroute hop to a keyed stage; by source topic. */
    public void rerouted(String topic) {
        increment(new Key(REROUTED, topic, null, null));
    }

    /** Entries of {@code store} dropped by its TTL. */
    public void expired(String store, int count) {
        if (count > 0) {
            counters.computeIfAbsent(new Key(EXPIRED, store, null, null), this::register).increment(count);
        }
    }

    /** One computation of the status API that fans out ({@code instances}, {@code lag}, {@code connectors}). */
    public void statusCall(String call) {
        increment(new Key(STATUS_CALLS, call, null, null));
    }

    /** An automatic restart of a failed connector task. */
    public void connectorTaskRestart(String connector, int task) {
        increment(new Key(CONNECTOR_RESTARTS, connector, Integer.toString(task), null));
    }

    /**
     * A bronze schema of {@code dataset} whose silver schema cannot be derived or registered (incompatible with an
     * earlier version); counted once per bronze schema, its records go to {@code dlq.enrich}.
     */
    public void silverSchemaRejected(String dataset) {
        increment(new Key(SCHEMA_REJECTED, dataset, null, null));
    }

    /** Publishes the schema cache's counters under {@value #REGISTRY}. */
    public void bindRegistry(SchemaCache cache) {
        FunctionCounter.builder(REGISTRY, cache, c -> c.source().requests()).tag("event", "request")
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

    private void increment(Key key) {
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, this::register);
        }
        counter.increment();
    }

    private Counter register(Key key) {
        String[] tags = switch (key.name()) {
            case IN -> new String[] {"stage", ((Stage) key.first()).id(), "entity", key.second()};
            case OUT -> new String[] {"stage", ((Stage) key.first()).id(), "entity", key.second(), "outcome",
                    key.third()};
            case INVALID -> new String[] {"entity", (String) key.first(), "rule", key.second()};
            case REROUTED -> new String[] {"topic", (String) key.first()};
            case EXPIRED -> new String[] {"store", (String) key.first()};
            case STATUS_CALLS -> new String[] {"call", (String) key.first()};
            case CONNECTOR_RESTARTS -> new String[] {"connector", (String) key.first(), "task", key.second()};
            case SCHEMA_REJECTED -> new String[] {"dataset", (String) key.first()};
            default -> new String[] {"stage", ((Stage) key.first()).id(), "code", key.second()};
        };
        return Counter.builder(key.name()).tags(tags).register(registry);
    }
}
