package dev.sluice.bench;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** The little of a worker's task context the sink needs when it is driven directly. */
final class BenchSinkTaskContext implements SinkTaskContext {

    private final Map<String, String> configs;
    private final Set<TopicPartition> assignment;

    BenchSinkTaskContext(Map<String, String> configs, Set<TopicPartition> assignment) {
        this.configs = configs;
        this.assignment = assignment;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        throw new IllegalStateException("the benchmark expects no rewind: " + offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        throw new IllegalStateException("the benchmark expects no rewind of " + tp + " to " + offset);
    }

    @Override
    public void timeout(long timeoutMs) {
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return null;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
