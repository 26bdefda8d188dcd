package dev.sluice.connect.s3;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the task asks the Kafka cluster when partitions are assigned, to tell a stale checkpoint from a current one:
 * the topics' ids and the connector group's committed offsets. Connect gives a sink task neither, so the task has an
 * admin client of its own ({@value S3ParquetSinkConfig#KAFKA_BOOTSTRAP_SERVERS}, {@code kafka.admin.*}); without
 * it the checks are off, which the task says once at start. An unanswered question disables the check for that
 * assignment with a warning: the checks protect against an operator's mistake and must not stop the lake when the
 * brokers are slow.
 */
final class TopicAndGroupLookup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicAndGroupLookup.class);
    private static final long TIMEOUT_MS = 30_000;

    private final Admin admin;
    private final String groupId;

    private TopicAndGroupLookup(Admin admin, String groupId) {
        this.admin = admin;
        this.groupId = groupId;
    }

    /** A lookup through the configured brokers, or one that knows nothing if none are configured. */
    static TopicAndGroupLookup create(S3ParquetSinkConfig config) {
        Optional<String> bootstrap = config.kafkaBootstrapServers();
        if (bootstrap.isEmpty()) {
            log.warn("{} is not set: a checkpoint of a deleted and re-created topic, or of offsets reset below it, "
                    + "cannot be detected", S3ParquetSinkConfig.KAFKA_BOOTSTRAP_SERVERS);
            return new TopicAndGroupLookup(null, config.consumerGroupId());
        }
        Map<String, Object> props = new HashMap<>(config.kafkaAdminProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, config.consumerGroupId() + "-checkpoint-checks");
        return new TopicAndGroupLookup(Admin.create(props), config.consumerGroupId());
    }

    /** The current id of each topic that could be described. */
    Map<String, String> topicIds(Collection<TopicPartition> partitions) {
        if (admin == null) {
            return Map.of();
        }
        Set<String> topics = new HashSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        try {
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(topics).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<String, String> ids = new HashMap<>();
            descriptions.forEach((topic, description) -> ids.put(topic, description.topicId().toString()));
            return ids;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not read the ids of {} ({}); re-created topics are not detected in this assignment",
                    topics, e.getMessage());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** The offsets the connector's consumer group has committed for {@code partitions}, where it has any. */
    Map<TopicPartition, OffsetAndMetadata> committed(Collection<TopicPartition> partitions) {
        if (admin == null) {
            return Map.of();
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(Map.of(groupId,
                            new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)))
                    .partitionsToOffsetAndMetadata(groupId).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((tp, offset) -> {
                if (offset != null) {
                    present.put(tp, offset);
                }
            });
            return present;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not read the committed offsets of group {} ({}); offset resets are not detected in this "
                    + "assignment", groupId, e.getMessage());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
