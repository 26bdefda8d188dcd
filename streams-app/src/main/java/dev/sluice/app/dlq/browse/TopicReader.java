package dev.sluice.app.dlq.browse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics partition by partition, offset by offset, up to the end each had when it was first asked about: a
 * consumer of its own without a group (nothing is committed), read_committed so that aborted writes are never seen.
 * One per request; not thread-safe. Reading stops with an {@link IllegalStateException} once its time budget is
 * spent, so that a request never hangs on a broker that does not answer.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long deadline;
    private final Set<TopicPartition> assigned = new HashSet<>();

    /** @param settings the app's Kafka client settings (bootstrap, security) */
    public TopicReader(Map<String, Object> settings, String clientId, Duration budget) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** The partitions of those of {@code topics} that exist, in topic and partition order. */
    public List<TopicPartition> partitions(Collection<String> topics) {
        Map<String, List<PartitionInfo>> all = consumer.listTopics(remaining());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : all.getOrDefault(topic, List.of())) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return partitions;
    }

    /** The next offset to be written to each partition (the last stable offset: read_committed). */
    public Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
        assign(partitions);
        return consumer.endOffsets(partitions, remaining());
    }

    /**
     * Calls {@code visitor} with the records of {@code partition} from {@code from} to {@code end} (exclusive) in
     * offset order, until it returns false.
     *
     * @return whether the partition was read to its end (false when the visitor stopped)
     */
    public boolean scan(TopicPartition partition, long from, long end,
            Predicate<ConsumerRecord<byte[], byte[]>> visitor) {
        assign(List.of(partition));
        long start = Math.max(from, consumer.beginningOffsets(List.of(partition), remaining()).get(partition));
        if (start >= end) {
            return true;
        }
        consumer.pause(assigned);
        consumer.resume(List.of(partition));
        consumer.seek(partition, start);
        while (consumer.position(partition, remaining()) < end) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() >= end) {
                    return true;
                }
                if (!visitor.test(record)) {
                    return false;
                }
            }
            remaining();
        }
        return true;
    }

    /** The record at {@code offset} of {@code partition}, if it is there (not deleted, not an aborted write). */
    public Optional<ConsumerRecord<byte[], byte[]>> read(TopicPartition partition, long offset) {
        List<TopicPartition> known = partitions(List.of(partition.topic()));
        if (!known.contains(partition)) {
            return Optional.empty();
        }
        long end = ends(List.of(partition)).get(partition);
        AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
        scan(partition, offset, Math.min(end, offset + 1), record -> {
            if (record.offset() == offset) {
                found.set(record);
            }
            return false;
        });
        return Optional.ofNullable(found.get());
    }

    /**
     * Adds {@code partitions} to the assignment, paused: a read_committed consumer warns about every offset answer
     * for a partition it does not have assigned, and about fetches for one unassigned meanwhile.
     */
    private void assign(Collection<TopicPartition> partitions) {
        if (assigned.addAll(partitions)) {
            consumer.assign(assigned);
            consumer.pause(assigned);
        }
    }

    private Duration remaining() {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IllegalStateException("Kafka did not answer in time: the topics could not be read");
        }
        return Duration.ofNanos(left);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
