package dev.sluice.bench.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells when a consumer group has consumed everything in its input topics: committed offsets at the end offsets.
 * Topics written transactionally end with a commit marker the group never needs to pass, so one offset of lag is
 * allowed there.
 */
final class DrainProbe {

    private final Admin admin;
    private final String group;

    DrainProbe(Admin admin, String group) {
        this.admin = admin;
        this.group = group;
    }

    /** The group's input topics: {@code plain} topics, plus the transactional ones and its repartition topics. */
    boolean drained(List<String> plain, List<String> transactional) throws ExecutionException, InterruptedException {
        Set<String> internal = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(group + "-") && t.endsWith("-repartition"))
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> ends = endOffsets(plain);
        Map<TopicPartition, Long> txEnds = endOffsets(transactional);
        txEnds.putAll(endOffsets(List.copyOf(internal)));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return caughtUp(ends, committed, 0) && caughtUp(txEnds, committed, 1);
    }

    private static boolean caughtUp(Map<TopicPartition, Long> ends, Map<TopicPartition, OffsetAndMetadata> committed,
            long slack) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long position = at == null ? 0 : at.offset();
            if (end.getValue() - position > slack) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
            topic.partitions().forEach(p -> request.put(new TopicPartition(topic.name(), p.partition()),
                    OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(request).all()
                .get().entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }
}
