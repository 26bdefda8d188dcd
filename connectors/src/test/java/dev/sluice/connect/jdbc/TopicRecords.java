package dev.sluice.connect.jdbc;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Reads a one-partition topic written with Connect's JsonConverter (schemas enabled) back into Connect
 * structs, from the beginning, accumulating everything seen so far.
 */
final class TopicRecords implements AutoCloseable {

    /** One record: key and value as the connector produced them. */
    record Row(Struct key, Struct value) {
        Object get(String field) {
            return value.get(field);
        }
    }

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final JsonConverter keyConverter = new JsonConverter();
    private final JsonConverter valueConverter = new JsonConverter();
    private final List<Row> rows = new ArrayList<>();

    TopicRecords(KafkaBroker kafka, String topic) {
        this.topic = topic;
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props);
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        keyConverter.configure(Map.of("schemas.enable", "true"), true);
        valueConverter.configure(Map.of("schemas.enable", "true"), false);
    }

    /** Polls until {@code condition} holds for everything read so far; returns a copy of it. */
    List<Row> awaitUntil(String what, Duration timeout, Predicate<List<Row>> condition) {
        Await.until(what + " on " + topic + " (read so far: " + rows.size() + ")", timeout, () -> {
            pollOnce();
            return condition.test(rows);
        });
        return List.copyOf(rows);
    }

    /** Polls until a record whose value satisfies {@code match} has arrived. */
    List<Row> awaitRecord(String what, Duration timeout, Predicate<Row> match) {
        return awaitUntil(what, timeout, all -> all.stream().anyMatch(match));
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            SchemaAndValue key = keyConverter.toConnectData(topic, record.key());
            SchemaAndValue value = valueConverter.toConnectData(topic, record.value());
            rows.add(new Row((Struct) key.value(), (Struct) value.value()));
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
