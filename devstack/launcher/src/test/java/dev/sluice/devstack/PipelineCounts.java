package dev.sluice.devstack;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.sluice.embedded.Await;

/**
 * The counting invariant of the pipeline, read from Kafka as any consumer would (read_committed): every bronze
 * record (topic/partition/offset) must end in exactly one silver or dead-letter record, found through the silver
 * record's lineage header or the dead letter's source headers.
 */
final class PipelineCounts {

    static final List<String> BRONZE = List.of("bronze.pg.customers", "bronze.pg.products", "bronze.pg.orders",
            "bronze.pg.order_items", "bronze.warehouse.exchange_rates", "bronze.warehouse.product_catalog",
            DemoConnectors.USER_EVENTS_TOPIC);
    static final List<String> OUTPUTS = List.of("silver.customers", "silver.products", "silver.orders",
            "silver.order_lines", "silver.user_events", "silver.exchange_rates", "silver.product_catalog",
            "dlq.deserialize", "dlq.validate", "dlq.dedupe", "dlq.enrich", "dlq.aggregate", "dlq.process");
    static final List<String> GOLD = List.of("gold.product_revenue_hourly", "gold.region_revenue_daily",
            "gold.customer_totals", "gold.user_sessions");

    /** What the outputs hold: bronze record → times it landed, route → records, gold topic → records. */
    record Landing(Map<String, Integer> landed, Map<String, Integer> routes, Map<String, Integer> gold) {
    }

    private PipelineCounts() {
    }

    /** Every bronze record (topic/partition/offset → 1) once the bronze topics have not grown for 3 s. */
    static Map<String, Integer> settledBronze(String bootstrapServers, Duration timeout) {
        return settledBronze(bootstrapServers, timeout, Duration.ofSeconds(3));
    }

    /**
     * Every bronze record (topic/partition/offset → 1) once the bronze topics have not grown for {@code quiet}:
     * after a source outage it must outlast the connectors' retry backoff (Debezium waits 10 s before it
     * reconnects), or changes still on their way would be missed.
     */
    static Map<String, Integer> settledBronze(String bootstrapServers, Duration timeout, Duration quiet) {
        return settledBronze(bootstrapServers, BRONZE, timeout, quiet);
    }

    /** Every record of {@code topics} (topic/partition/offset → 1) once they have not grown for {@code quiet}. */
    static Map<String, Integer> settledBronze(String bootstrapServers, List<String> topics, Duration timeout,
            Duration quiet) {
        Map<TopicPartition, Long> last = new HashMap<>();
        Map<TopicPartition, Long> start = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "counts-offsets")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            long[] changedAt = {System.nanoTime()};
            Await.until("bronze topics settled", timeout, () -> {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                if (!ends.equals(last)) {
                    changedAt[0] = System.nanoTime();
                    last.clear();
                    last.putAll(ends);
                }
                return System.nanoTime() - changedAt[0] >= quiet.toNanos();
            });
            start.putAll(consumer.beginningOffsets(partitions));
        }
        Map<String, Integer> records = new TreeMap<>();
        last.forEach((tp, end) -> {
            for (long offset = start.get(tp); offset < end; offset++) {
                records.put(tp.topic() + "/" + tp.partition() + "/" + offset, 1);
            }
        });
        return records;
    }

    /**
     * Reads silver, dead-letter and gold topics until every bronze record of {@code bronze} has landed somewhere
     * (and, when {@code requireGold}, every gold topic has records), or the timeout passes.
     */
    static Landing landing(String bootstrapServers, Map<String, Integer> bronze, boolean requireGold,
            Duration timeout, Supplier<Boolean> keepWaiting) {
        Map<String, Integer> landed = new TreeMap<>();
        Map<String, Integer> gold = new TreeMap<>();
        Map<String, Integer> routes = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "counts-reader")) {
            List<String> topics = new ArrayList<>(OUTPUTS);
            topics.addAll(GOLD);
            consumer.subscribe(topics);
            try {
                Await.until("every bronze record in silver or a dead-letter topic", timeout, () -> {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.topic().startsWith("gold.")) {
                            gold.merge(record.topic(), 1, Integer::sum);
                            continue;
                        }
                        String source = source(record);
                        if (source != null && BRONZE.stream().anyMatch(t -> source.startsWith(t + "/"))) {
                            landed.merge(source, 1, Integer::sum);
                            routes.merge(source.substring(0, source.indexOf('/')) + " -> " + record.topic(), 1,
                                    Integer::sum);
                        }
                    }
                    return landed.keySet().containsAll(bronze.keySet())
                            && (!requireGold || gold.keySet().containsAll(GOLD));
                }, keepWaiting);
            } catch (Await.AwaitTimeoutException e) {
                Map<String, Integer> missing = new TreeMap<>();
                bronze.keySet().stream().filter(k -> !landed.containsKey(k))
                        .forEach(k -> missing.merge(k.substring(0, k.indexOf('/')), 1, Integer::sum));
                throw new AssertionError(e.getMessage() + "; bronze records not landed by topic: " + missing
                        + "; gold topics with records: " + gold.keySet(), e);
            }
        }
        return new Landing(landed, routes, gold);
    }

    /** Where a silver or dead-letter record came from: its lineage, or its dead-letter source headers. */
    static String source(ConsumerRecord<byte[], byte[]> record) {
        String lineage = header(record, "sluice.lineage.source");
        if (lineage != null) {
            return lineage;
        }
        String topic = header(record, "sluice.source.topic");
        return topic == null ? null : topic + "/" + header(record, "sluice.source.partition") + "/"
                + header(record, "sluice.source.offset");
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A read_committed consumer from the beginning, in a group of its own. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
