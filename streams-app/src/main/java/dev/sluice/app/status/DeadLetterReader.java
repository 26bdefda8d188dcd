package dev.sluice.app.status;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dead-letter topics from the beginning, on a daemon thread of its own, and hands every record to a sink:
 * a read_committed consumer without a group (nothing is committed), which picks up new topics and partitions every
 * {@link #REASSIGN} by the clock.
 */
final class DeadLetterReader {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    static final Duration REASSIGN = Duration.ofSeconds(30);

    private final Map<String, Object> settings;
    private final List<String> topics;
    private final Clock clock;
    private final Consumer<ConsumerRecord<byte[], byte[]>> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param settings the app's Kafka client settings (bootstrap, security)
     * @param sink     called with each record, on the reader's thread
     */
    DeadLetterReader(Map<String, Object> settings, String clientId, List<String> topics, Clock clock,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        this.settings = new HashMap<>(settings);
        this.settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.topics = topics;
        this.clock = clock;
        this.sink = sink;
        this.thread = new Thread(this::run, "sluice-dead-letter-monitor");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the records read so far reach the end of every partition assigned. */
    boolean caughtUp() {
        return caughtUp;
    }

    void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = reader;
            long assignedAt = 0;
            while (running) {
                if (clock.millis() - assignedAt > REASSIGN.toMillis()) {
                    assign(reader);
                    assignedAt = clock.millis();
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                    sink.accept(record);
                }
                caughtUp = isCaughtUp(reader);
            }
        } catch (WakeupException | InterruptException e) {
            LOG.debug("dead-letter monitor stopped");
        } catch (RuntimeException e) {
            if (running) {
                LOG.warn("dead-letter monitor stopped: counts are no longer updated", e);
            }
        }
    }

    private void assign(KafkaConsumer<byte[], byte[]> reader) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = reader.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions != null) {
                partitions.forEach(p -> wanted.add(new TopicPartition(topic, p.partition())));
            }
        }
        if (!wanted.equals(reader.assignment())) {
            Set<TopicPartition> added = new HashSet<>(wanted);
            added.removeAll(reader.assignment());
            reader.assign(wanted);
            reader.seekToBeginning(added);
        }
    }

    private static boolean isCaughtUp(KafkaConsumer<byte[], byte[]> reader) {
        Set<TopicPartition> assigned = reader.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        for (TopicPartition partition : assigned) {
            Long lag = reader.currentLag(partition).isPresent() ? reader.currentLag(partition).getAsLong() : null;
            if (lag == null || lag > 0) {
                return false;
            }
        }
        return true;
    }
}
