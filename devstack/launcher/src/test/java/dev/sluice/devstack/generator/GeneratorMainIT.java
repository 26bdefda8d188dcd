package dev.sluice.devstack.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;

/**
 * The stand-alone generator, started as its main method starts it (from environment variables), against the real
 * broker, PostgreSQL and registry: it creates its topic, changes shop rows, and every event it counts as sent is
 * in the topic once it is closed.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class GeneratorMainIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Map<String, String> environment(KafkaBroker kafka, PostgresServer postgres,
            RegistryServer registry, String topic) {
        Map<String, String> env = new HashMap<>();
        env.put(GeneratorSettings.JDBC_URL, postgres.jdbcUrl(PostgresServer.SHOP_DB));
        env.put(GeneratorSettings.JDBC_USER, postgres.user());
        env.put(GeneratorSettings.JDBC_PASSWORD, postgres.password());
        env.put(GeneratorSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        env.put(GeneratorSettings.REGISTRY_URL, registry.registryV2Url());
        env.put(GeneratorSettings.TOPIC, topic);
        env.put(GeneratorSettings.TOPIC_PARTITIONS, "2");
        env.put(GeneratorSettings.SHOP_OPS_PER_SECOND, "40");
        env.put(GeneratorSettings.EVENTS_PER_SECOND, "100");
        env.put(GeneratorSettings.BAD_RATIO, "0.1");
        return env;
    }

    @Test
    void createsItsTopicChangesShopRowsAndEveryEventSentArrives(KafkaBroker kafka, PostgresServer postgres,
            RegistryServer registry, @TempDir Path dir) throws Exception {
        String topic = "it.generator.user_events." + System.nanoTime();
        Map<String, String> env = environment(kafka, postgres, registry, topic);
        Path heartbeat = dir.resolve("alive");
        env.put(GeneratorSettings.HEARTBEAT_FILE, heartbeat.toString());
        long lastOrder = maxId(postgres, "orders");
        long lastCustomer = maxId(postgres, "customers");

        long shopChanges;
        long sent;
        try (GeneratorMain generator = GeneratorMain.start(env)) {
            Await.until("shop changes and user events", TIMEOUT,
                    () -> generator.shopChanges() >= 20 && generator.eventsSent() >= 50);
            Await.until("the heartbeat file", TIMEOUT, () -> Files.isRegularFile(heartbeat));
            generator.close();
            shopChanges = generator.shopChanges();
            sent = generator.eventsSent();
        }

        try (Admin admin = kafka.admin()) {
            assertEquals(2, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .size());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertEquals("604800000", admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.RETENTION_MS_CONFIG).value(), "a bronze topic keeps a week");
        }
        long newRows = count(postgres, "orders", lastOrder) + count(postgres, "customers", lastCustomer);
        assertTrue(newRows > 0 && newRows <= shopChanges, "new orders and customers " + newRows
                + " after " + shopChanges + " changes");
        AtomicLong framed = new AtomicLong();
        long consumed = consumeAll(kafka, topic, sent, record -> {
            if (record.value() != null && record.value().length > 5 && record.value()[0] == 0) {
                framed.incrementAndGet();
            }
        });
        assertEquals(sent, consumed, "records in " + topic);
        assertTrue(framed.get() > sent / 2, "registry-framed records " + framed + " of " + sent);
    }

    @Test
    void aMissingVariableStopsItBeforeAnythingIsCreated(KafkaBroker kafka, PostgresServer postgres,
            RegistryServer registry) throws Exception {
        String topic = "it.generator.never." + System.nanoTime();
        Map<String, String> env = environment(kafka, postgres, registry, topic);
        env.remove(GeneratorSettings.JDBC_PASSWORD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GeneratorMain.start(env));
        assertTrue(e.getMessage().startsWith(GeneratorSettings.JDBC_PASSWORD + " is not set"), e.getMessage());
        try (Admin admin = kafka.admin()) {
            assertFalse(admin.listTopics().names().get().contains(topic), "created " + topic);
        }
    }

    private static long consumeAll(KafkaBroker kafka, String topic, long expected,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            AtomicLong count = new AtomicLong();
            Await.until(expected + " records in " + topic, TIMEOUT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    count.incrementAndGet();
                    each.accept(record);
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return count.get();
        }
    }

    private static long maxId(PostgresServer postgres, String table) throws SQLException {
        return query(postgres, "SELECT coalesce(max(id), 0) FROM " + table);
    }

    private static long count(PostgresServer postgres, String table, long afterId) throws SQLException {
        return query(postgres, "SELECT count(*) FROM " + table + " WHERE id > " + afterId);
    }

    private static long query(PostgresServer postgres, String sql) throws SQLException {
        try (Connection db = postgres.connect(PostgresServer.SHOP_DB); Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
