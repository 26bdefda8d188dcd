package dev.sluice.bench.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a run left in its output topics, read back with {@code read_committed}: records per topic, and for compacted
 * (latest-value-per-key) topics also the keys whose latest value is not a tombstone. Record counts of topics that a
 * cache flush feeds (gold) depend on when commits happen; their live keys do not.
 */
final class OutputCounts {

    private OutputCounts() {
    }

    record Count(long records, long liveKeys) {
        @Override
        public String toString() {
            return liveKeys < 0 ? Long.toString(records) : records + " (" + liveKeys + " keys)";
        }
    }

    static Map<String, Count> read(Properties clientProps, List<String> topics, Set<String> keyed) {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, Count> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos == null) {
                    continue;
                }
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<String, Long> records = new HashMap<>();
            Map<String, Map<java.nio.ByteBuffer, Boolean>> live = new HashMap<>();
            topics.forEach(t -> records.put(t, 0L));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!caughtUp(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the outputs back within 5 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.merge(r.topic(), 1L, Long::sum);
                    if (keyed.contains(r.topic()) && r.key() != null) {
                        live.computeIfAbsent(r.topic(), t -> new HashMap<>())
                                .put(java.nio.ByteBuffer.wrap(r.key()), r.value() != null);
                    }
                }
            }
            for (String topic : topics) {
                long keys = keyed.contains(topic) ? live.getOrDefault(topic, Map.of()).values().stream()
                        .filter(b -> b).count() : -1;
                out.put(topic, new Count(records.get(topic), keys));
            }
        }
        return out;
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
