package dev.sluice.connect.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.template.ConnectorTemplates;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import io.apicurio.registry.utils.converter.AvroConverter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL values that fail today, read by the JDBC source configured from its template: {@code date
 * 'infinity'} and {@code '-infinity'}, which the driver reads as a {@code Date} with a time of day that the Avro
 * converter rejects, and a {@code numeric} {@code 'NaN'}, which the source itself cannot read. Each bad row becomes
 * one {@code dlq.source} record with the raw row, table, reason and source position, every good row (also those after the bad ones) reaches bronze, the task stays
 * RUNNING, and the task logs one line per dead letter and nothing else.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SourceDeadLetterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badRowsBecomeSourceDeadLettersAndTheTaskGoesOn(PostgresServer postgres, KafkaBroker kafka,
            ConnectWorker connect, RegistryServer registry) throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String table = "invoices_" + suffix;
        String connector = "srcdlq-" + suffix;
        String bronze = "it.srcdlq." + suffix + "." + table;
        sql(postgres, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, due date, amount numeric(12,2), note text)",
                "INSERT INTO " + table + " VALUES (1, '2026-01-31', 10.50, 'good'), (2, 'infinity', 1, 'open-ended'), "
                        + "(3, '2026-02-28', 2, 'good'), (4, '-infinity', 3, 'since ever'), (5, NULL, NULL, 'good'), "
                        + "(6, '2026-03-01', 'NaN', 'not a number')");
        kafka.createTopics(1, bronze);

        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try {
            rest.putConfig(connector, new ConnectorTemplates().get(ConnectorTemplates.JDBC_SOURCE).render(Map.of(
                    "connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB),
                    "connection.user", postgres.user(),
                    "connection.password", postgres.password(),
                    "tables", table,
                    "mode", "incrementing",
                    "timestamp.column.name", "",
                    "topic.prefix", "it.srcdlq." + suffix + ".",
                    "poll.interval.ms", "200",
                    "tasks.max", "1",
                    "registry.url", registry.registryV2Url())));

            try (Topic good = new Topic(kafka, bronze); Topic dead = new Topic(kafka, "dlq.source")) {
                good.awaitCount(3, record -> true);
                List<ConsumerRecord<byte[], byte[]>> letters = dead.awaitCount(3, record -> table(record).endsWith(table));

                // A good row after the bad ones: the task went on.
                sql(postgres, "INSERT INTO " + table + " VALUES (7, '2026-03-31', 4, 'after')");
                List<ConsumerRecord<byte[], byte[]>> rows = good.awaitCount(4, record -> true);
                assertEquals(List.of(1L, 3L, 5L, 7L), ids(registry, bronze, rows), "every good row in bronze, once");

                assertEquals(3, dead.read(record -> table(record).endsWith(table)).size(),
                        "one dead letter per bad row: " + letters);
                Map<Long, ConsumerRecord<byte[], byte[]>> byId = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> letter : letters) {
                    byId.put(JSON.readTree(letter.key()).path("id").asLong(), letter);
                    assertEquals("source", header(letter, "sluice.error.stage"));
                    assertEquals("SERIALIZATION_FAILED", header(letter, "sluice.error.code"));
                    assertEquals(bronze, header(letter, "sluice.source.topic"));
                    assertEquals("warehouse.public." + table, header(letter, "sluice.source.table"));
                }
                assertEquals(new TreeSet<>(List.of(2L, 4L, 6L)), new TreeSet<>(byId.keySet()));
                ConsumerRecord<byte[], byte[]> infinity = byId.get(2L);
                JsonNode raw = JSON.readTree(infinity.value());
                assertEquals("open-ended", raw.path("note").asText(), "the raw row: " + raw);
                // The JDBC source's Date for 'infinity' (its epoch milliseconds overflowed): kept as it was sent.
                assertTrue(raw.path("due").isTextual() && raw.path("id").asLong() == 2L, raw.toString());
                assertTrue(header(infinity, "sluice.error.message").contains("time fields"),
                        header(infinity, "sluice.error.message"));
                JsonNode position = JSON.readTree(header(infinity, "sluice.source.position"));
                assertEquals(2L, position.path("incrementing").asLong(), "the JDBC offset of the row: " + position);

                // Read by the source itself, not by the converter: the column's text is the raw value.
                ConsumerRecord<byte[], byte[]> nan = byId.get(6L);
                JsonNode nanRow = JSON.readTree(nan.value());
                assertEquals("NaN", nanRow.path("amount").asText(), nanRow.toString());
                assertEquals("6", nanRow.path("id").asText());
                assertTrue(header(nan, "sluice.error.message").contains("NaN"), header(nan, "sluice.error.message"));
                assertEquals(6L, JSON.readTree(header(nan, "sluice.source.position")).path("incrementing").asLong());
            }

            assertEquals("RUNNING", rest.status(connector).path("tasks").path(0).path("state").asText());
            List<String> taskLines = log.list.stream()
                    .filter(e -> e.getThreadName().startsWith("task-thread-" + connector))
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(3, taskLines.size(), "one line per dead letter and nothing else: " + taskLines);
            assertTrue(taskLines.stream().allMatch(l -> l.startsWith("Source record dead-lettered")), taskLines.toString());
            assertTrue(log.list.stream().filter(e -> e.getThreadName().startsWith("task-thread-" + connector))
                    .allMatch(e -> e.getThrowableProxy() == null), "no stack trace for bad input");
            assertTrue(taskLines.stream().noneMatch(l -> l.contains(postgres.password())), "no secret in the log");
        } finally {
            root.detachAppender(log);
            ConnectAwait.deleteAndAwaitGone(rest, connector, TIMEOUT);
        }
    }

    private static List<Long> ids(RegistryServer registry, String topic, List<ConsumerRecord<byte[], byte[]>> rows) {
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                "apicurio.registry.as-confluent", "true", "apicurio.registry.use-id", "contentId",
                "apicurio.registry.headers.enabled", "false"), false);
        List<Long> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> row : rows) {
            ids.add(((Struct) converter.toConnectData(topic, row.value()).value()).getInt64("id"));
        }
        return ids;
    }

    private static String table(ConsumerRecord<byte[], byte[]> record) {
        String table = header(record, "sluice.source.table");
        return table == null ? "" : table;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sql(PostgresServer postgres, String... statements) throws Exception {
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Everything a topic holds from its start, read again and again until a count is reached. */
    private static final class Topic implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

        Topic(KafkaBroker kafka, String topic) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "srcdlq-it-" + System.nanoTime());
            props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topic));
        }

        List<ConsumerRecord<byte[], byte[]>> awaitCount(int count,
                java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> filter) {
            Await.until(count + " records", TIMEOUT, () -> read(filter).size() >= count);
            return read(filter);
        }

        List<ConsumerRecord<byte[], byte[]>> read(java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> filter) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(filter).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
