package dev.sluice.app.query;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Where the gold stores' keys and partitions live across the instances, for routing queries: a store's partition
 * count, a key's partition and host, the instances holding each partition (active and standby), and every instance
 * of the application. Answers from Kafka Streams' metadata while it has some, and otherwise computes the partition as
 * the topology's partitioner does, so that a query can still be answered here or refused with the right partition.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class StreamsMetadataService {

    private static final long ADMIN_TIMEOUT_SECONDS = 10;

    private final StreamsInstance instance;
    private final TopologyLayout layout;
    private final StreamsAdmin admin;
    private final Map<GoldStore, Integer> partitionCounts = new ConcurrentHashMap<>();

    public StreamsMetadataService(StreamsInstance instance, TopologyLayout layout, StreamsAdmin admin) {
        this.instance = instance;
        this.layout = layout;
        this.admin = admin;
    }

    /** The partition count of a store: that of its changelog topic, which Kafka Streams creates to match. */
    public int partitions(GoldStore store) {
        Integer known = partitionCounts.get(store);
        if (known != null) {
            return known;
        }
        String changelog = instance.applicationId() + "-" + store.storeName() + "-changelog";
        try {
            TopicDescription topic = admin.admin().describeTopics(List.of(changelog)).allTopicNames()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(changelog);
            int count = topic.partitions().size();
            partitionCounts.put(store, count);
            return count;
        } catch (ExecutionException | TimeoutException e) {
            throw QueryException.unavailable("the partitions of store " + store.storeName()
                    + " are not known yet (" + changelog + ": " + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QueryException.unavailable("interrupted");
        }
    }

    /**
     * Where a key of a store lives. {@link KeyQueryMetadata#NOT_AVAILABLE} while the streams are not running or
     * rebalancing without metadata; the partition is then computed as the topology's partitioner does.
     */
    public KeyQueryMetadata keyMetadata(GoldStore store, Object key) {
        KeyQueryMetadata metadata;
        try {
            metadata = instance.self() == null ? null : instance.streams().queryMetadataForKey(store.storeName(), key,
                    store.keyType().serializer());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            metadata = null;
        }
        if (metadata != null && metadata.partition() >= 0) {
            return metadata;
        }
        return new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), partitionOf(store, key));
    }

    /** The partition of a key: the producer's default partitioner over the key's bytes, as the topology writes it. */
    public int partitionOf(GoldStore store, Object key) {
        return partitionOf(store.keyType().serializer().serialize(null, key), partitions(store));
    }

    static int partitionOf(byte[] keyBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    /** The instances holding a store and its partitions on each, active and standby. */
    public Collection<Routing.HostPartitions> assignment(GoldStore store) {
        Set<String> sources = layout.of(store).sourceTopics();
        Collection<StreamsMetadata> all;
        try {
            all = instance.self() == null ? List.of() : instance.streams().streamsMetadataForStore(store.storeName());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            all = List.of();
        }
        return all.stream().map(metadata -> new Routing.HostPartitions(metadata.hostInfo(),
                partitions(metadata.topicPartitions(), sources), partitions(metadata.standbyTopicPartitions(),
                        sources))).toList();
    }

    /** Every instance of the application Kafka Streams knows of, this one included. */
    public Collection<StreamsMetadata> instances() {
        KafkaStreams streams = instance.streams();
        try {
            return streams.metadataForAllStreamsClients();
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    private Set<Integer> partitions(Set<TopicPartition> partitions, Set<String> topics) {
        return partitions.stream().filter(tp -> isOneOf(tp.topic(), topics)).map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether {@code topic} (a name as Kafka knows it) is one of the description's {@code names}. */
    private boolean isOneOf(String topic, Set<String> names) {
        String prefix = instance.applicationId() + "-";
        return names.contains(topic) || topic.startsWith(prefix) && names.contains(topic.substring(prefix.length()));
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
