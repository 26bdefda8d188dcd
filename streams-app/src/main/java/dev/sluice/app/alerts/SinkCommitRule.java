package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.connect.ConnectorView;
import dev.sluice.app.query.StreamsAdmin;

/**
 * {@code lake-sink-not-committing}: a sink connector (the lake's S3 sinks) has records to write but its consumer
 * group ({@code connect-<connector>}) committed nothing since the previous evaluation; sustained for the
 * for-duration, it fires. A sink commits once its files are in the lake, so no commits mean no new data there.
 * What it has to write covers every partition of its topics ({@code topics} or {@code topics.regex}), not only
 * those its group committed: a sink failing from its first record has no committed offset at all.
 */
class SinkCommitRule extends NamedRule {

    static final String NAME = "lake-sink-not-committing";
    private static final long TIMEOUT_SECONDS = 5;

    private final ConnectorService connectors;
    private final StreamsAdmin streamsAdmin;
    private final ExportedReadings readings;
    private final Map<String, Long> lastCommitted = new HashMap<>();

    SinkCommitRule(ConnectorService connectors, StreamsAdmin streamsAdmin, ExportedReadings readings) {
        super(NAME, Scope.DEPLOYMENT);
        this.connectors = connectors;
        this.streamsAdmin = streamsAdmin;
        this.readings = readings;
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
            long[] offsets = offsets(connector.name());
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

    /**
     * The sink's committed offsets summed, and its lag: per partition of its topics, the end offset minus the
     * committed one, or minus the partition's start where its group committed none (Connect's consumers start
     * there).
     */
    private long[] offsets(String connector) {
        String group = "connect-" + connector;
        Admin admin = streamsAdmin.admin();
        try {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((partition, offset) -> {
                        if (offset != null) {
                            committed.put(partition, offset.offset());
                        }
                    });
            Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
            partitions.addAll(partitions(admin, topics(connector, admin)));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (TopicPartition partition : partitions) {
                latest.put(partition, OffsetSpec.latest());
                if (!committed.containsKey(partition)) {
                    earliest.put(partition, OffsetSpec.earliest());
                }
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
                    : admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long sum = 0;
            long lag = 0;
            for (TopicPartition partition : partitions) {
                Long done = committed.get(partition);
                long position = done != null ? done : starts.get(partition).offset();
                sum += done != null ? done : 0;
                lag += Math.max(0, ends.get(partition).offset() - position);
            }
            return new long[] {sum, lag};
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("offsets of group " + group + " unknown: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** The existing topics the sink reads: those its {@code topics} names, or that match its {@code topics.regex}. */
    private Set<String> topics(String connector, Admin admin)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, String> config = connectors.get(connector).config();
        String list = config == null ? null : config.get("topics");
        String regex = config == null ? null : config.get("topics.regex");
        Set<String> named = list == null ? Set.of() : Arrays.stream(list.split(",")).map(String::strip)
                .filter(topic -> !topic.isEmpty()).collect(Collectors.toSet());
        Pattern pattern = regex == null || regex.isBlank() ? null : Pattern.compile(regex.strip());
        return admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .filter(topic -> named.contains(topic) || pattern != null && pattern.matcher(topic).matches())
                .collect(Collectors.toSet());
    }

    private static Set<TopicPartition> partitions(Admin admin, Set<String> topics)
            throws ExecutionException, TimeoutException, InterruptedException {
        Set<TopicPartition> partitions = new HashSet<>();
        if (!topics.isEmpty()) {
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
        }
        return partitions;
    }
}
