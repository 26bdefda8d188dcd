package dev.sluice.app.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.app.query.StreamsInstance;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;

/**
 * A registry outage in the middle of a run, on a real broker and a real registry of the test's own (stopped and
 * started again on the same port and database): records whose schema id the app has not seen yet wait — none is
 * dead-lettered — while the stream thread that met the outage is replaced, and once the registry is back they are
 * processed, each exactly once, by the same running application (no restart).
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class RegistryOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final PipelineTopics TOPICS = AppInstance.topics("outage-it");
    private static final int BATCH = 10;

    @Test
    void processingPausesDuringARegistryOutageAndResumesByItselfAfterIt(KafkaBroker kafka) throws Exception {
        Path registryDir = Files.createTempDirectory("outage-it-registry");
        RegistryServer registry = RegistryServer.start(registryDir, 0);
        int port = URI.create(registry.url()).getPort();
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(TOPICS));
        settings.put("sluice.registry.outage-retry", "2s");
        settings.put("sluice.registry.request-timeout", "1s");
        String topic = TOPICS.getUserEvents();
        try (AppInstance app = AppInstance.start(kafka, registry, "outage-it", settings);
                KafkaProducer<byte[], byte[]> producer = producer(kafka);
                KafkaConsumer<byte[], byte[]> reader = committedReader(kafka)) {
            List<String> outputTopics = new ArrayList<>(TOPICS.deadLetter());
            outputTopics.add(TOPICS.getSilverUserEvents());
            reader.subscribe(outputTopics);
            Outputs outputs = new Outputs(topic);
            BronzeRecords bronze = new BronzeRecords(registry.registryV2Url());

            // Before the outage: events of a schema the app then resolves and keeps.
            List<String> first = send(producer, topic, events(bronze, topic, BronzeSchemas.USER_EVENT, "a", 0));
            Await.until("the first events in silver", TIMEOUT, () -> outputs.poll(reader).silver.keySet()
                    .containsAll(first));

            // Written while the registry is up, read by the app only after it went down: a schema new to the app.
            Schema evolved = BronzeSchemas.withFieldType(BronzeSchemas.USER_EVENT, "page",
                    Schema.create(Schema.Type.STRING));
            List<ProducerRecord<byte[], byte[]>> newSchema = events(bronze, topic + "-evolved", evolved, "b", 0);
            List<ProducerRecord<byte[], byte[]>> knownSchema = events(bronze, topic, BronzeSchemas.USER_EVENT, "c", 0);
            double outagesBefore = registryEvents(app).getOrDefault("outage", 0.0);
            registry.close();

            List<String> waiting = send(producer, topic, newSchema);
            List<String> second = new ArrayList<>(waiting);
            second.addAll(send(producer, topic, knownSchema));
            Await.until("two stream threads stopped by the outage (the first one, then its replacement)", TIMEOUT,
                    () -> registryEvents(app).getOrDefault("outage", 0.0) >= outagesBefore + 2);
            outputs.poll(reader);
            assertEquals(List.of(), outputs.deadLetters, "no good record dead-lettered during the outage");
            for (String source : waiting) {
                assertTrue(!outputs.silver.containsKey(source), source + " of the new schema waits");
            }

            registry = RegistryServer.start(registryDir, port);
            Await.until("every event in silver once the registry is back", TIMEOUT, () -> {
                Outputs now = outputs.poll(reader);
                return now.silver.keySet().containsAll(first) && now.silver.keySet().containsAll(second);
            });
            outputs.poll(reader);
            assertEquals(List.of(), outputs.deadLetters, "nothing dead-lettered");
            assertEquals(first.size() + second.size(), outputs.silver.size(), "only the events sent");
            assertTrue(outputs.silver.values().stream().allMatch(n -> n == 1), "each exactly once: "
                    + outputs.silver);
            StreamsInstance streams = app.context().getBean(StreamsInstance.class);
            assertEquals(KafkaStreams.State.RUNNING, streams.state(), "the same application, running");
        } finally {
            registry.close();
        }
    }

    /** The registry counters of the app's /prometheus, by event. */
    private static Map<String, Double> registryEvents(AppInstance app) {
        Map<String, Double> events = new TreeMap<>();
        for (String line : app.get("/prometheus").body().split("\n")) {
            if (line.startsWith("sluice_registry_events_total{")) {
                int at = line.indexOf("event=\"") + 7;
                events.put(line.substring(at, line.indexOf('"', at)),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return events;
    }

    private static List<ProducerRecord<byte[], byte[]>> events(BronzeRecords bronze, String artifact, Schema schema,
            String batch, int from) {
        Instant now = Instant.now();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < from + BATCH; i++) {
            String user = "user-" + i % 3;
            Map<String, Object> row = new HashMap<>(Map.of("event_id", "outage-" + batch + i, "event_type",
                    "page_view", "user_id", user, "page", "/p/" + i, "occurred_at", now.minusSeconds(30 - i)));
            records.add(new ProducerRecord<>(TOPICS.getUserEvents(), user.getBytes(StandardCharsets.UTF_8),
                    bronze.value(artifact, schema, row)));
        }
        return records;
    }

    /** Sends and returns the lineage source of each record: topic/partition/offset. */
    private static List<String> send(KafkaProducer<byte[], byte[]> producer, String topic,
            List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            sends.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
        }
        producer.flush();
        List<String> sources = new ArrayList<>();
        for (Future<RecordMetadata> send : sends) {
            RecordMetadata m = send.get();
            sources.add(m.topic() + "/" + m.partition() + "/" + m.offset());
        }
        return sources;
    }

    /** What the app committed for this test's bronze topic: silver records by source, dead letters. */
    private static final class Outputs {
        final String topic;
        final Map<String, Integer> silver = new TreeMap<>();
        final List<String> deadLetters = new ArrayList<>();

        Outputs(String topic) {
            this.topic = topic;
        }

        Outputs poll(KafkaConsumer<byte[], byte[]> reader) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (record.topic().startsWith("dlq.")) {
                    if (topic.equals(header(record, DeadLetterHeaders.SOURCE_TOPIC))) {
                        deadLetters.add(record.topic() + ": " + header(record, DeadLetterHeaders.ERROR_MESSAGE));
                    }
                } else {
                    String source = header(record, Lineage.SOURCE);
                    if (source != null && source.startsWith(topic + "/")) {
                        silver.merge(source, 1, Integer::sum);
                    }
                }
            }
            return this;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(KafkaBroker kafka) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-it-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
