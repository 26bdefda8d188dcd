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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL values that fail today. Read by the JDBC source configured from its template: {@code date
 * 'infinity'} and {@code '-infinity'} (and the timestamp ones), which the driver reads as dates and times no Connect
 * value can hold, and a {@code numeric} {@code 'NaN'}, which the source itself cannot read. Captured by Debezium:
 * numeric {@code 'NaN'}, {@code 'Infinity'} and {@code '-Infinity'}. Each bad row becomes one {@code dlq.source}
 * record with the raw row, table, reason and source position, every good row (also those after the bad ones)
 * reaches bronze, the task stays RUNNING, and the task logs one line per dead letter and nothing else.
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
        sql(postgres, PostgresServer.WAREHOUSE_DB,
                "CREATE TABLE " + table + " (id bigint PRIMARY KEY, due date, amount numeric(12,2), note text)",
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
            rest.putConfig(connector, jdbcSource(postgres, registry, table, suffix));

            try (Topic good = new Topic(kafka, bronze); Topic dead = new Topic(kafka, "dlq.source")) {
                good.awaitCount(3, record -> true);
                List<ConsumerRecord<byte[], byte[]>> letters = dead.awaitCount(3, record -> table(record).endsWith(table));

                // A good row after the bad ones: the task went on.
                sql(postgres, PostgresServer.WAREHOUSE_DB, "INSERT INTO " + table + " VALUES (7, '2026-03-31', 4, 'after')");
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
                // Read by the source itself, which knows the driver's 'infinity': the column's text is the raw value.
                assertTrue(raw.path("due").isTextual() && raw.path("id").asLong() == 2L, raw.toString());
                assertEquals("infinity", raw.path("due").asText(), raw.toString());
                assertEquals("column due: PostgreSQL 'infinity' has no date representation",
                        header(infinity, "sluice.error.message"));
                assertEquals("column due: PostgreSQL '-infinity' has no date representation",
                        header(byId.get(4L), "sluice.error.message"));
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
            assertTaskLoggedOneLinePerDeadLetter(log, connector, 3, postgres.password());
        } finally {
            root.detachAppender(log);
            ConnectAwait.deleteAndAwaitGone(rest, connector, TIMEOUT);
        }
    }

    /** The JDBC source from its template, incrementing over {@code table} into {@code it.srcdlq.<suffix>.<table>}. */
    private static Map<String, String> jdbcSource(PostgresServer postgres, RegistryServer registry, String table,
            String suffix) {
        return new ConnectorTemplates().get(ConnectorTemplates.JDBC_SOURCE).render(Map.of(
                "connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB),
                "connection.user", postgres.user(),
                "connection.password", postgres.password(),
                "tables", table,
                "mode", "incrementing",
                "timestamp.column.name", "",
                "topic.prefix", "it.srcdlq." + suffix + ".",
                "poll.interval.ms", "200",
                "tasks.max", "1",
                "registry.url", registry.registryV2Url()));
    }

    @Test
    void timestampInfinitiesBecomeSourceDeadLettersNamingTheColumn(PostgresServer postgres, KafkaBroker kafka,
            ConnectWorker connect, RegistryServer registry) throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String table = "moments_" + suffix;
        String connector = "srcdlq-ts-" + suffix;
        String bronze = "it.srcdlq." + suffix + "." + table;
        sql(postgres, PostgresServer.WAREHOUSE_DB,
                "CREATE TABLE " + table + " (id bigint PRIMARY KEY, seen timestamp, sent timestamptz)",
                "INSERT INTO " + table + " VALUES (1, '2026-01-31 10:00', '2026-01-31 10:00+00'), "
                        + "(2, 'infinity', NULL), (3, NULL, '-infinity'), (4, '-infinity', 'infinity'), "
                        + "(5, '2026-02-01 11:00', NULL)");
        kafka.createTopics(1, bronze);
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (Topic good = new Topic(kafka, bronze); Topic dead = new Topic(kafka, "dlq.source")) {
            rest.putConfig(connector, jdbcSource(postgres, registry, table, suffix));
            List<ConsumerRecord<byte[], byte[]>> letters = dead.awaitCount(3, record -> table(record).endsWith(table));
            assertEquals(List.of(1L, 5L), ids(registry, bronze, good.awaitCount(2, record -> true)));

            Map<Long, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                reasons.put(JSON.readTree(letter.key()).path("id").asLong(), header(letter, "sluice.error.message"));
            }
            assertEquals(Map.of(
                    2L, "column seen: PostgreSQL 'infinity' has no timestamp representation",
                    3L, "column sent: PostgreSQL '-infinity' has no timestamp representation",
                    4L, "column seen: PostgreSQL '-infinity' has no timestamp representation"), reasons);
            assertEquals("RUNNING", rest.status(connector).path("tasks").path(0).path("state").asText());
        } finally {
            ConnectAwait.deleteAndAwaitGone(rest, connector, TIMEOUT);
        }
    }

    /**
     * Debezium CDC from the template: numerics that no decimal holds ({@code 'NaN'} in a numeric(12,2),
     * {@code 'Infinity'} and {@code '-Infinity'} in an unconstrained numeric, {@code 'NaN'} inside a numeric(5,2)[],
     * which reaches the transform through the template's NumericArrayText converter), in the snapshot and while
     * streaming. Today's connector (decimal.handling.mode=precise) first reads the
     * good rows alone - with a bad row its task fails - and the schemas it registers are the ones the template's
     * connector must register too: same content, same registry id.
     */
    @Test
    void cdcNumericsWithoutDecimalBecomeSourceDeadLettersAndBronzeKeepsPreciseSchemas(PostgresServer postgres,
            KafkaBroker kafka, ConnectWorker connect, RegistryServer registry) throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String table = "prices_" + suffix;
        String topic = "bronze.pg." + table;
        String preciseConnector = "srcdlq-precise-" + suffix;
        String connector = "srcdlq-cdc-" + suffix;
        String publication = "srcdlq_" + suffix;
        sql(postgres, PostgresServer.SHOP_DB, "CREATE TABLE public." + table + " (id int PRIMARY KEY, "
                        + "amount numeric(12,2) DEFAULT 0, free numeric, ratios numeric(5,2)[], note text)",
                "INSERT INTO public." + table + " VALUES (1, 10.50, 1.500, '{1.5,2}', 'good'), "
                        + "(3, NULL, NULL, NULL, 'good')",
                "CREATE PUBLICATION " + publication + " FOR TABLE public." + table + ", public.debezium_signal");

        Map<String, String> config = new ConnectorTemplates().get(ConnectorTemplates.POSTGRES_CDC).render(Map.of(
                "database.port", Integer.toString(postgres.port()),
                "database.user", postgres.cdcLogin().user(),
                "database.password", postgres.cdcLogin().password(),
                "database.dbname", PostgresServer.SHOP_DB,
                "table.include.list", "public." + table,
                "slot.name", publication,
                "publication.name", publication,
                "publication.autocreate.mode", "disabled",
                "topic.partitions", "1",
                "registry.url", registry.registryV2Url()));
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try (Topic bronze = new Topic(kafka, topic); Topic dead = new Topic(kafka, "dlq.source")) {
            rest.putConfig(preciseConnector, preciseMode(config, publication + "_precise"));
            List<ConsumerRecord<byte[], byte[]>> todays = bronze.awaitCount(2, record -> true);
            ConnectAwait.deleteAndAwaitGone(rest, preciseConnector, TIMEOUT);

            sql(postgres, PostgresServer.SHOP_DB, "INSERT INTO public." + table + " VALUES "
                    + "(2, 'NaN', 2, NULL, 'amount not a number'), (4, 4, 'Infinity', NULL, 'free infinite'), "
                    + "(5, 5, 5, '{1.5,NaN}', 'ratio not a number')");
            root.addAppender(log);
            rest.putConfig(connector, config);
            dead.awaitCount(3, record -> table.equals(table(record)));
            sql(postgres, PostgresServer.SHOP_DB,
                    "INSERT INTO public." + table + " VALUES (6, 6, 6, '{6}', 'good')",
                    "INSERT INTO public." + table + " VALUES (7, 7, '-Infinity', NULL, 'free minus infinite')",
                    "INSERT INTO public." + table + " VALUES (8, 'NaN', 8, '{8}', 'amount not a number')",
                    "INSERT INTO public." + table + " VALUES (10, 10, 10, '{2,NULL,NaN}', 'ratio not a number')",
                    "INSERT INTO public." + table + " VALUES (9, 9.99, 0.10, '{}', 'good')");
            List<ConsumerRecord<byte[], byte[]>> rows = bronze.awaitCount(6, record -> true);
            List<ConsumerRecord<byte[], byte[]>> letters = dead.awaitCount(6, record -> table.equals(table(record)));

            List<ConsumerRecord<byte[], byte[]>> tomorrows = rows.subList(2, rows.size());
            assertEquals(List.of(1, 3, 6, 9), cdcIds(registry, topic, tomorrows), "every good row in bronze, once");
            assertEquals(schemaIds(todays, true), schemaIds(tomorrows, true), "the key schema of precise mode");
            assertEquals(schemaIds(todays, false), schemaIds(tomorrows, false), "the value schema of precise mode");
            assertEquals(1, schemaIds(tomorrows, false).size());

            Struct today = row(registry, topic, todays.get(0));
            Struct one = row(registry, topic, tomorrows.get(0));
            for (String column : List.of("amount", "free", "ratios")) {
                assertEquals(today.get(column), one.get(column), column + " as precise mode has it");
            }
            assertEquals(new java.math.BigDecimal("10.50"), one.get("amount"));
            assertEquals(new java.math.BigDecimal("1.5"), variableScale(one.getStruct("free")));
            assertEquals(List.of(new java.math.BigDecimal("1.50"), new java.math.BigDecimal("2.00")),
                    one.getArray("ratios"));
            Struct nine = row(registry, topic, tomorrows.get(3));
            assertEquals(new java.math.BigDecimal("9.99"), nine.get("amount"));
            assertEquals(new java.math.BigDecimal("0.1"), variableScale(nine.getStruct("free")));

            assertEquals(6, dead.read(record -> table.equals(table(record))).size(),
                    "one dead letter per bad row: " + letters);
            Map<Integer, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                int id = JSON.readTree(letter.key()).path("id").asInt();
                reasons.put(id, header(letter, "sluice.error.message"));
                assertEquals("source", header(letter, "sluice.error.stage"));
                assertEquals("SERIALIZATION_FAILED", header(letter, "sluice.error.code"));
                assertEquals(topic, header(letter, "sluice.source.topic"));
                assertTrue(JSON.readTree(header(letter, "sluice.source.position")).has("lsn"),
                        header(letter, "sluice.source.position"));
                assertEquals(JSON.readTree(header(letter, "sluice.source.position")).path("lsn").asText(),
                        header(letter, "sluice.source.offset"));
                assertEquals(id, JSON.readTree(letter.value()).path("id").asInt(), "the raw row");
            }
            assertEquals(Map.of(
                    2, table + ".amount: 'NaN' has no decimal representation",
                    4, table + ".free: 'Infinity' has no decimal representation",
                    7, table + ".free: '-Infinity' has no decimal representation",
                    8, table + ".amount: 'NaN' has no decimal representation",
                    5, table + ".ratios: 'NaN' has no decimal representation",
                    10, table + ".ratios: 'NaN' has no decimal representation"), reasons);
            // The raw value as Debezium's string mode gives it, in the snapshot and streamed: its constant's name.
            for (int id : List.of(2, 8)) {
                JsonNode raw = rawRow(letters, id);
                assertEquals("NAN", raw.path("amount").asText(), "the raw value: " + raw);
                assertEquals("amount not a number", raw.path("note").asText());
            }
            assertEquals("POSITIVE_INFINITY", rawRow(letters, 4).path("free").asText());
            // An array's elements as PostgreSQL writes them, at the column's scale (NumericArrayText).
            assertEquals("[\"1.50\",\"NaN\"]", rawRow(letters, 5).path("ratios").toString());
            assertEquals("[\"2.00\",null,\"NaN\"]", rawRow(letters, 10).path("ratios").toString());

            assertEquals("RUNNING", rest.status(connector).path("tasks").path(0).path("state").asText());
            assertTaskLoggedOneLinePerDeadLetter(log, connector, 6, postgres.cdcLogin().password());
            assertEquals(Long.toString(Duration.ofDays(30).toMillis()), retention(kafka, "dlq.source"),
                    "dlq.source as the template's topic creation group creates it: streams-app's dead-letter "
                            + "retention");
        } finally {
            root.detachAppender(log);
            ConnectAwait.deleteAndAwaitGone(rest, preciseConnector, TIMEOUT);
            ConnectAwait.deleteAndAwaitGone(rest, connector, TIMEOUT);
            dropSlot(postgres, publication + "_precise");
            dropSlot(postgres, publication);
            sql(postgres, PostgresServer.SHOP_DB, "DROP PUBLICATION IF EXISTS " + publication);
        }
    }

    private static JsonNode rawRow(List<ConsumerRecord<byte[], byte[]>> letters, int id) throws Exception {
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            JsonNode row = JSON.readTree(letter.value());
            if (row.path("id").asInt() == id) {
                return row;
            }
        }
        throw new AssertionError("no dead letter of row " + id);
    }

    /**
     * The template's connector as it was before: Debezium's precise decimals, no PreciseDecimals transform and no
     * NumericArrayText converter.
     */
    private static Map<String, String> preciseMode(Map<String, String> template, String slot) {
        Map<String, String> config = new HashMap<>(template);
        config.put("decimal.handling.mode", "precise");
        config.remove("datatype.propagate.source.type");
        config.keySet().removeIf(key -> key.startsWith("transforms.decimals."));
        config.put("transforms", config.get("transforms").replace("decimals,", ""));
        config.keySet().removeIf(key -> key.equals("converters") || key.startsWith("numericArrays."));
        config.put("slot.name", slot);
        return config;
    }

    private static void assertTaskLoggedOneLinePerDeadLetter(ListAppender<ILoggingEvent> log, String connector,
            int deadLetters, String password) {
        List<String> taskLines = log.list.stream()
                .filter(e -> e.getThreadName().startsWith("task-thread-" + connector))
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(deadLetters, taskLines.size(), "one line per dead letter and nothing else: " + taskLines);
        assertTrue(taskLines.stream().allMatch(l -> l.startsWith("Source record dead-lettered")), taskLines.toString());
        assertTrue(log.list.stream().filter(e -> e.getThreadName().startsWith("task-thread-" + connector))
                .allMatch(e -> e.getThrowableProxy() == null), "no stack trace for bad input");
        assertTrue(taskLines.stream().noneMatch(l -> l.contains(password)), "no secret in the log");
    }

    private static String retention(KafkaBroker kafka, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = kafka.admin()) {
            return admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value();
        }
    }

    /** The registry ids of the keys' or values' schemas (Confluent framing: magic byte, then a 4-byte id). */
    private static Set<Integer> schemaIds(List<ConsumerRecord<byte[], byte[]>> records, boolean keys) {
        Set<Integer> ids = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ids.add(ByteBuffer.wrap(keys ? record.key() : record.value(), 1, 4).getInt());
        }
        return ids;
    }

    private static List<Integer> cdcIds(RegistryServer registry, String topic,
            List<ConsumerRecord<byte[], byte[]>> rows) {
        return rows.stream().map(row -> row(registry, topic, row).getInt32("id")).toList();
    }

    private static Struct row(RegistryServer registry, String topic, ConsumerRecord<byte[], byte[]> record) {
        return (Struct) avro(registry).toConnectData(topic, record.value()).value();
    }

    private static java.math.BigDecimal variableScale(Struct decimal) {
        return new java.math.BigDecimal(new java.math.BigInteger(decimal.getBytes("value")), decimal.getInt32("scale"));
    }

    private static void dropSlot(PostgresServer postgres, String slot) {
        Await.until("slot " + slot + " dropped", TIMEOUT, () -> {
            try (Connection connection = postgres.connect(PostgresServer.SHOP_DB, postgres.cdcLogin());
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                        + "WHERE slot_name = '" + slot + "'");
                return true;
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
    }

    private static AvroConverter avro(RegistryServer registry) {
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("apicurio.registry.url", registry.registryV2Url(),
                "apicurio.registry.as-confluent", "true", "apicurio.registry.use-id", "contentId",
                "apicurio.registry.headers.enabled", "false"), false);
        return converter;
    }

    private static List<Long> ids(RegistryServer registry, String topic, List<ConsumerRecord<byte[], byte[]>> rows) {
        AvroConverter converter = avro(registry);
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

    private static void sql(PostgresServer postgres, String database, String... statements) throws Exception {
        try (Connection connection = postgres.connect(database);
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
