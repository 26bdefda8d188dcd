package dev.sluice.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.embedded.Await;

/**
 * Test helper that reads records from Kafka and decodes Confluent-framed Avro the way any consumer would: the
 * schema is fetched by id from the registry's Confluent-compatible API, nothing is taken from the producer.
 */
final class BronzeRecords {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private BronzeRecords() {
    }

    /** Polls {@code topic} from the beginning until a decoded value matches, or the timeout passes. */
    static GenericRecord awaitValue(String bootstrapServers, String ccompatUrl, String topic, Duration timeout,
            Predicate<GenericRecord> match) {
        List<GenericRecord> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(topic));
            Await.until("a matching record in " + topic, timeout, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        GenericRecord value = decode(ccompatUrl, record.value());
                        if (match.test(value)) {
                            found.add(value);
                        }
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    /** A decoded record and the partition it was read from. */
    record Placed(int partition, GenericRecord value) {
    }

    /** Polls {@code topic} from the beginning until {@code count} decoded values match, or the timeout passes. */
    static List<Placed> awaitAll(String bootstrapServers, String ccompatUrl, String topic, Duration timeout,
            Predicate<GenericRecord> match, int count) {
        List<Placed> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(topic));
            Await.until(count + " matching records in " + topic, timeout, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        GenericRecord value = decode(ccompatUrl, record.value());
                        if (match.test(value)) {
                            found.add(new Placed(record.partition(), value));
                        }
                    }
                }
                return found.size() >= count;
            });
        }
        return found;
    }

    /** Number of partitions of {@code topic}. */
    static int partitions(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            return consumer.partitionsFor(topic).size();
        }
    }

    /** Number of records in {@code topic} (end offsets summed; the topic is never compacted in tests). */
    static long count(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Schema id of a Confluent-framed payload: magic byte 0, then 4 bytes of id. */
    static int schemaId(byte[] payload) {
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        if (buffer.get() != 0) {
            throw new IllegalArgumentException("not Confluent-framed: magic byte is not 0");
        }
        return buffer.getInt();
    }

    static GenericRecord decode(String ccompatUrl, byte[] payload) throws Exception {
        int id = schemaId(payload);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ccompatUrl + "/schemas/ids/" + id))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("registry has no schema " + id + ": " + response.body());
        }
        Schema schema = new Schema.Parser().parse(JSON.readTree(response.body()).path("schema").asText());
        return new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(payload, 5, payload.length - 5, null));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bronze-records-" + System.nanoTime());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
