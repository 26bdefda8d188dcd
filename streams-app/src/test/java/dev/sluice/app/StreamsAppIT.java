package dev.sluice.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
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
import java.util.concurrent.atomic.AtomicLong;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.placement.KeyPlacement;
import dev.sluice.app.silver.Lineage;
import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * The service on a real broker and a real registry, exactly-once and with RocksDB stores: it reports healthy,
 * every bronze record it is given ends exactly once in silver or a dead-letter topic (read with read_committed),
 * gold topics fill, the schemas of silver and gold are registered, and the per-stage counters are exported.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class StreamsAppIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final AtomicLong LSN = new AtomicLong(5_000_000);

    @Test
    void runsThePipelineExactlyOnceEndToEnd(KafkaBroker kafka, RegistryServer registry) throws Exception {
        Path stateDir = Files.createTempDirectory("streams-app-it");
        PipelineTopics topics = new PipelineTopics();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.streams.default.state.dir", stateDir.toString(),
                "kafka.streams.default.application.id", "streams-app-it",
                "kafka.streams.default.commit.interval.ms", "200",
                "sluice.registry.url", registry.url(),
                "sluice.enrich.reference-wait", "2s",
                "sluice.enrich.retry-interval", "200ms",
                "micronaut.server.port", -1));
                HttpClient http = HttpClient.create(server.getURL())) {
            Await.until("health UP", TIMEOUT, () -> {
                HttpResponse<String> health = http.toBlocking().exchange("/health", String.class);
                return health.status().getCode() == 200 && health.body().contains("UP");
            });

            Map<String, Integer> sent = produceBronze(kafka, registry, topics);
            Map<String, Integer> landed = new TreeMap<>();
            Map<String, Integer> gold = new TreeMap<>();
            List<String> bronze = topics.bronze();
            try (KafkaConsumer<byte[], byte[]> consumer = committedReader(kafka)) {
                List<String> outputs = new ArrayList<>(topics.silverCompacted());
                outputs.addAll(topics.silverLogs());
                outputs.addAll(topics.deadLetter());
                outputs.addAll(topics.gold());
                consumer.subscribe(outputs);
                Await.until("every bronze record in silver or a dead-letter topic", TIMEOUT, () -> {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        String source = source(record);
                        if (record.topic().startsWith("gold.")) {
                            gold.merge(record.topic(), 1, Integer::sum);
                        } else if (source != null && bronze.stream().anyMatch(source::startsWith)) {
                            landed.merge(source, 1, Integer::sum);
                        }
                    }
                    return landed.keySet().containsAll(sent.keySet()) && gold.size() == topics.gold().size();
                });
            }
            assertEquals(sent, landed, "each bronze record exactly once in silver or a dead-letter topic");

            String metrics = http.toBlocking().retrieve("/prometheus");
            assertTrue(metrics.contains("sluice_records_in_total{entity=\"orders\",stage=\"validate\"}"), metrics);
            assertTrue(metrics.contains("sluice_records_invalid_total{entity=\"user_events\","
                    + "rule=\"user_events.event_type.allowed\"}"), "invalid by rule");
            assertTrue(metrics.contains("sluice_records_dlq_total"), "dead letters counted");
            for (String bronzeTopic : List.of(topics.getOrders(), topics.getOrderItems())) {
                assertTrue(metrics.contains("sluice_records_rerouted_total{topic=\"" + bronzeTopic + "\"}"),
                        "events off their order's partition rerouted: " + bronzeTopic);
            }
            assertFalse(metrics.contains("sluice_records_rerouted_total{topic=\"" + topics.getUserEvents() + "\"}"),
                    "user events keyed by user id with the default partitioner are on their user's partition");

            String subjects = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create(registry.ccompatUrl() + "/subjects")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String topic : List.of(topics.getSilverOrders(), topics.getSilverOrderLines(),
                    topics.getSilverCustomers(), topics.getSilverUserEvents(), topics.getGoldProductRevenueHourly(),
                    topics.getGoldRegionRevenueDaily(), topics.getGoldCustomerTotals(), topics.getGoldUserSessions())) {
                assertTrue(subjects.contains("\"" + topic + "-value\""), topic + " registered: " + subjects);
            }
        }
    }

    /** Good, bad, replayed and undecodable records on the bronze topics; returns their topic/partition/offset. */
    private static Map<String, Integer> produceBronze(KafkaBroker kafka, RegistryServer registry, PipelineTopics topics)
            throws Exception {
        BronzeRecords bronze = new BronzeRecords(registry.registryV2Url());
        Instant now = Instant.now();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            String rates = topics.getExchangeRates();
            sends.add(producer.send(new ProducerRecord<>(rates, bronze.key(rates, BronzeSchemas.RATE_KEY, 1L),
                    bronze.value(rates, BronzeSchemas.RATE, row("id", 1L, "currency", "USD", "rate_to_eur",
                            new java.math.BigDecimal("0.92"), "valid_from", now.minusSeconds(86_400), "updated_at",
                            now.minusSeconds(86_400))))));
            String customers = topics.getCustomers();
            for (long id = 1; id <= 3; id++) {
                sends.add(producer.send(new ProducerRecord<>(customers,
                        bronze.key(customers, BronzeSchemas.CUSTOMER_KEY, id),
                        bronze.value(customers, BronzeSchemas.CUSTOMER, cdc(now, "id", id, "email", "c" + id
                                + "@example.com", "full_name", "Customer " + id, "region",
                                id == 3 ? "APAC" : "EMEA", "country", "DE", "created_at", now.minusSeconds(3600),
                                "updated_at", now.minusSeconds(3600))))));
            }
            sends.add(producer.send(new ProducerRecord<>(customers, bronze.key(customers, BronzeSchemas.CUSTOMER_KEY,
                    9L), null)));
            String products = topics.getProducts();
            for (long id = 1; id <= 2; id++) {
                sends.add(producer.send(new ProducerRecord<>(products,
                        bronze.key(products, BronzeSchemas.PRODUCT_KEY, id),
                        bronze.value(products, BronzeSchemas.PRODUCT, cdc(now, "id", id, "sku", "SKU-" + id, "name",
                                "Product " + id, "category", "kitchen", "price", new java.math.BigDecimal("10.00"),
                                "currency", "EUR", "updated_at", now.minusSeconds(3600))))));
            }
            String orders = topics.getOrders();
            String items = topics.getOrderItems();
            for (long id = 1; id <= 6; id++) {
                long customer = id == 6 ? 404 : 1 + id % 3;
                // Orders 1-3 and their items on their order's partition, as the CDC connector places them; 4-6 off
                // it, as a producer without placement would: those are rerouted by the topology.
                int home = KeyPlacement.partitionOf(Long.toString(id), topics.getPartitions());
                Integer partition = id <= 3 ? home : (home + 1) % topics.getPartitions();
                sends.add(producer.send(new ProducerRecord<>(orders, partition,
                        bronze.key(orders, BronzeSchemas.ORDER_KEY, id),
                        bronze.value(orders, BronzeSchemas.ORDER, cdc(now, "id", id, "customer_id", customer,
                                "status", "NEW", "currency", id % 2 == 0 ? "USD" : "EUR", "total_amount",
                                new java.math.BigDecimal("20.00"), "ordered_at", now.minusSeconds(60), "updated_at",
                                now.minusSeconds(60))))));
                sends.add(producer.send(new ProducerRecord<>(items, partition,
                        bronze.key(items, BronzeSchemas.ORDER_ITEM_KEY, id, 1),
                        bronze.value(items, BronzeSchemas.ORDER_ITEM, cdc(now, "order_id", id, "line_no", 1,
                                "product_id", 1 + id % 2, "quantity", 2, "unit_price",
                                new java.math.BigDecimal("10.00"))))));
            }
            String events = topics.getUserEvents();
            byte[] replay = null;
            for (int i = 0; i < 10; i++) {
                String user = "user-" + (i % 3);
                byte[] value = bronze.value(events, BronzeSchemas.USER_EVENT, row("event_id", "e-" + i,
                        "event_type", i == 7 ? "teleport" : "page_view", "user_id", user, "page", "/p/" + i,
                        "occurred_at", now.minusSeconds(30 - i)));
                replay = i == 3 ? value : replay;
                sends.add(producer.send(new ProducerRecord<>(events, user.getBytes(StandardCharsets.UTF_8), value)));
            }
            byte[] user = "user-0".getBytes(StandardCharsets.UTF_8);
            sends.add(producer.send(new ProducerRecord<>(events, user, replay)));
            sends.add(producer.send(new ProducerRecord<>(events, user, new byte[] {0x13, 0x37})));
            sends.add(producer.send(new ProducerRecord<>(events, user,
                    ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(1).array())));
        }
        Map<String, Integer> sent = new TreeMap<>();
        for (Future<RecordMetadata> send : sends) {
            RecordMetadata m = send.get();
            sent.put(m.topic() + "/" + m.partition() + "/" + m.offset(), 1);
        }
        return sent;
    }

    /** Where a silver or dead-letter record came from: its lineage or its dead-letter source headers. */
    private static String source(ConsumerRecord<byte[], byte[]> record) {
        String lineage = header(record, Lineage.SOURCE);
        if (lineage != null) {
            return lineage;
        }
        String topic = header(record, DeadLetterHeaders.SOURCE_TOPIC);
        return topic == null ? null : topic + "/" + header(record, DeadLetterHeaders.SOURCE_PARTITION) + "/"
                + header(record, DeadLetterHeaders.SOURCE_OFFSET);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<byte[], byte[]> committedReader(KafkaBroker kafka) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "streams-app-it-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> cdc(Instant now, Object... keyValues) {
        Map<String, Object> row = row(keyValues);
        row.put("__op", "c");
        row.put("__lsn", LSN.incrementAndGet());
        row.put("__source_ts_ms", now.toEpochMilli());
        row.put("__deleted", "false");
        return row;
    }

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }
}
