package dev.sluice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.context.ApplicationContext;

/** The service starts against a real broker, reports healthy over HTTP and runs its topology. */
@ExtendWith(EmbeddedPlatformExtension.class)
class StreamsAppIT {

    @Test
    void startsHealthyAndProcessesRecords(KafkaBroker kafka) throws Exception {
        Path stateDir = Files.createTempDirectory("streams-app-it");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.streams.default.state.dir", stateDir.toString(),
                "kafka.streams.default.application.id", "streams-app-it",
                "micronaut.server.port", -1));
                HttpClient http = HttpClient.create(server.getURL())) {
            Await.until("health UP", Duration.ofSeconds(60), () -> {
                HttpResponse<String> health = http.toBlocking().exchange("/health", String.class);
                return health.status().getCode() == 200 && health.body().contains("UP");
            });

            Properties producerProps = kafka.clientProperties();
            producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("bronze.events.user_events", "user-" + i, "event-" + i));
                }
            }
            Properties consumerProps = kafka.clientProperties();
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "streams-app-it-reader");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
                consumer.subscribe(List.of("silver.user_events"));
                Await.until("10 records in silver", Duration.ofSeconds(60), () -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                    return out.size() >= 10;
                });
            }
            assertEquals(10, out.size());
            assertTrue(out.stream().allMatch(r -> r.value().startsWith("event-")));
        }
    }
}
