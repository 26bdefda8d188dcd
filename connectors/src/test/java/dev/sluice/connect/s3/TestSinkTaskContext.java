package dev.sluice.connect.s3;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** A SinkTaskContext for driving a task directly, recording the rewinds it requests. */
final class TestSinkTaskContext implements SinkTaskContext {

    private final Map<String, String> configs;
    private final Set<TopicPartition> assignment = new HashSet<>();
    private final Map<TopicPartition, Long> requestedOffsets = new HashMap<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final ErrantRecordReporter reporter;
    /** The task's plugin metrics, as the worker gives them, for tests to read. */
    private final Metrics metrics = new Metrics();

    TestSinkTaskContext(Map<String, String> configs, ErrantRecordReporter reporter) {
        this.configs = configs;
        this.reporter = reporter;
    }

    void assign(Set<TopicPartition> partitions) {
        assignment.clear();
        assignment.addAll(partitions);
    }

    /** Rewinds requested since the last call, as the worker would apply them before its next poll. */
    Map<TopicPartition, Long> takeRequestedOffsets() {
        Map<TopicPartition, Long> copy = Map.copyOf(requestedOffsets);
        requestedOffsets.clear();
        return copy;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        requestedOffsets.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        requestedOffsets.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assignment);
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(Set.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        Set.of(partitions).forEach(paused::remove);
    }

    /** The partitions the task asked the worker to stop fetching. */
    Set<TopicPartition> paused() {
        return Set.copyOf(paused);
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return new PluginMetricsImpl(metrics, Map.of("connector", "test", "task", "0"));
    }

    /** The value of the plugin metric {@code name} with the tag topic={@code topic}; null if there is none. */
    Object pluginMetric(String name, String topic) {
        return metrics.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && topic.equals(e.getKey().tags().get("topic")))
                .map(e -> e.getValue().metricValue()).findFirst().orElse(null);
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return reporter;
    }
}
