package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.connect.ConnectorView;
import dev.sluice.app.query.StreamsInstance;

/**
 * {@code lake-sink-not-committing}: a sink connector (the lake's S3 sinks) has records to write but its consumer
 * group ({@code connect-<connector>}) committed nothing since the previous evaluation; sustained for the
 * for-duration, it fires. A sink commits once its files are in the lake, so no commits mean no new data there.
 */
class SinkCommitRule implements AlertRule {

    static final String NAME = "lake-sink-not-committing";
    private static final long TIMEOUT_SECONDS = 5;

    private final ConnectorService connectors;
    private final StreamsInstance instance;
    private final ExportedReadings readings;
    private final Map<String, Long> lastCommitted = new HashMap<>();

    SinkCommitRule(ConnectorService connectors, StreamsInstance instance, ExportedReadings readings) {
        this.connectors = connectors;
        this.instance = instance;
        this.readings = readings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Scope scope() {
        return Scope.DEPLOYMENT;
    }

    @Override
    public synchronized List<Finding> check(Instant now) {
        List<Finding> findings = new ArrayList<>();
        Map<Map<String, String>, Long> committedRows = new LinkedHashMap<>();
        Map<Map<String, String>, Long> lagRows = new LinkedHashMap<>();
        Map<String, Long> seen = new HashMap<>();
        for (ConnectorView connector : connectors.list()) {
            if (!"sink".equals(connector.type())) {
                continue;
            }
            long[] offsets = offsets("connect-" + connector.name());
            long committed = offsets[0];
            long lag = offsets[1];
            Map<String, String> labels = Map.of("connector", connector.name());
            committedRows.put(labels, committed);
            lagRows.put(labels, lag);
            seen.put(connector.name(), committed);
            Long previous = lastCommitted.get(connector.name());
            if (previous != null && previous == committed && lag > 0) {
                findings.add(new Finding(labels, "sink " + connector.name() + " has " + lag
                        + " records to write and committed nothing since the last check"));
            }
        }
        lastCommitted.clear();
        lastCommitted.putAll(seen);
        readings.publish("sluice.lake.sink.committed.offsets", "sum of a sink connector's committed offsets",
                committedRows);
        readings.publish("sluice.lake.sink.lag.records", "records a sink connector has still to write", lagRows);
        return findings;
    }

    /** The group's committed offsets summed, and its lag. */
    private long[] offsets(String group) {
        Admin admin = instance.admin();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long sum = 0;
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                long position = entry.getValue() == null ? 0 : entry.getValue().offset();
                sum += position;
                lag += Math.max(0, ends.get(entry.getKey()).offset() - position);
            }
            return new long[] {sum, lag};
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("offsets of group " + group + " unknown: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
