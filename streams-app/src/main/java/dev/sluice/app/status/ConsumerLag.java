package dev.sluice.app.status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyDescription;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.StreamsAdmin;
import dev.sluice.app.query.StreamsInstance;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;

/**
 * Consumer lag of the application's consumer group per input topic: the end offsets (read_committed: what a
 * transactional reader can see) minus the offsets the group committed. The input topics are every topic a
 * sub-topology reads: the bronze topics and the internal repartition topics (gold takes silver records in memory
 * and reads no silver topic back). The global reference tables are read without a group and have no lag here.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class ConsumerLag {

    private static final long TIMEOUT_SECONDS = 5;

    private final StreamsInstance instance;
    private final StreamsAdmin streamsAdmin;
    private final TopologyDescription topology;
    private final PipelineTopics topics;

    public ConsumerLag(StreamsInstance instance, StreamsAdmin streamsAdmin, TopologyDescription topology,
            PipelineTopics topics) {
        this.instance = instance;
        this.streamsAdmin = streamsAdmin;
        this.topology = topology;
        this.topics = topics;
    }

    /**
     * Lag of one input topic.
     *
     * @param topic      the topic
     * @param kind       bronze or internal
     * @param partitions its partitions
     * @param committed  sum of the committed offsets (records processed, transaction markers included)
     * @param end        sum of the end offsets
     * @param lag        sum of the partitions' lags
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "TopicLag")
    public record TopicLag(String topic, String kind, int partitions, long committed, long end, long lag) {
    }

    /**
     * Lag of the application's consumer group.
     *
     * @param groupId   the group (the application id)
     * @param totalLag  sum over all input topics
     * @param processed sum of the committed offsets of the bronze topics: what the pipeline took in so far
     * @param topics    per input topic
     * @param error     why lag is not known right now; null when it is
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "ConsumerLag")
    public record LagView(String groupId, long totalLag, long processed, List<TopicLag> topics,
            @Nullable String error) {
    }

    public LagView lag() {
        String group = instance.applicationId();
        try {
            Admin admin = streamsAdmin.admin();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Set<String> inputs = inputTopics();
            Map<String, TopicDescription> described = admin.describeTopics(inputs).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.values().forEach(topic -> topic.partitions().forEach(p -> latest.put(
                    new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT_SECONDS,
                            TimeUnit.SECONDS);
            return view(group, committed, ends);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new LagView(group, 0, 0, List.of(), "lag unknown: " + cause.getClass().getSimpleName() + ": "
                    + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LagView(group, 0, 0, List.of(), "interrupted");
        }
    }

    LagView view(String group, Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends) {
        Map<String, long[]> byTopic = new TreeMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long position = done == null ? 0 : done.offset();
            long[] sums = byTopic.computeIfAbsent(end.getKey().topic(), t -> new long[4]);
            sums[0]++;
            sums[1] += position;
            sums[2] += end.getValue().offset();
            sums[3] += Math.max(0, end.getValue().offset() - position);
        }
        List<TopicLag> lags = new ArrayList<>();
        long total = 0;
        long processed = 0;
        for (Map.Entry<String, long[]> topic : byTopic.entrySet()) {
            long[] sums = topic.getValue();
            String kind = kind(topic.getKey());
            lags.add(new TopicLag(topic.getKey(), kind, (int) sums[0], sums[1], sums[2], sums[3]));
            total += sums[3];
            processed += "bronze".equals(kind) ? sums[1] : 0;
        }
        return new LagView(group, total, processed, lags, null);
    }

    /** The topics the sub-topologies read, with internal ones named as Kafka knows them. */
    Set<String> inputTopics() {
        Set<String> inputs = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    for (String topic : source.topicSet()) {
                        inputs.add(topics.all().contains(topic) ? topic : instance.applicationId() + "-" + topic);
                    }
                }
            }
        }
        return inputs;
    }

    private String kind(String topic) {
        return topics.bronze().contains(topic) ? "bronze" : "internal";
    }
}
