package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.TOPIC_PREFIX;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.createTopicFor;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.deleteConnector;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.admin.ConnectRestException;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A custom query, bulk mode, and several tables spread over several tasks, on the real platform. */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceQueryAndBulkIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void customQueryIsReadIncrementallyIntoTheTopicNamedByThePrefix(PostgresServer postgres, KafkaBroker kafka,
                                                                    ConnectWorker connect) throws Exception {
        String products = unique("jdbc_q_products");
        String prices = unique("jdbc_q_prices");
        execute(postgres,
                "CREATE TABLE " + products + " (id int PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE " + prices + " (id bigserial PRIMARY KEY, product_id int NOT NULL, "
                        + "price numeric(8,2) NOT NULL)",
                "INSERT INTO " + products + " VALUES (1, 'kettle'), (2, 'toaster')",
                "INSERT INTO " + prices + " (product_id, price) VALUES (1, 19.99), (2, 34.50), (1, 18.49)");
        String topic = "it.bronze.warehouse." + unique("price_changes");
        kafka.createTopics(1, topic);
        String connector = unique("jdbc-query");
        Map<String, String> config = connectorConfig(postgres, "", "incrementing");
        config.remove("tables");
        config.put("query", "SELECT c.id AS change_id, p.name, c.price FROM " + prices + " c JOIN " + products
                + " p ON p.id = c.product_id");
        config.put("incrementing.column.name", "change_id");
        config.put("topic.prefix", topic);
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            records.awaitUntil("three price changes", TIMEOUT, rows -> rows.size() >= 3);
            execute(postgres, "INSERT INTO " + prices + " (product_id, price) VALUES (2, 29.00)");
            List<TopicRecords.Row> rows = records.awaitUntil("the fourth change", TIMEOUT, all -> all.size() >= 4);
            assertEquals(List.of("1 kettle 19.99", "2 toaster 34.50", "3 kettle 18.49", "4 toaster 29.00"),
                    rows.stream().map(r -> r.get("change_id") + " " + r.get("name") + " "
                            + ((java.math.BigDecimal) r.get("price")).toPlainString()).toList());
            assertEquals(3L, rows.get(2).key().get("change_id"));
        } finally {
            deleteConnector(rest, connector);
        }
    }

    @Test
    void bulkCopiesTheWholeTableEveryPoll(PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect)
            throws Exception {
        String table = unique("jdbc_bulk");
        execute(postgres, "CREATE TABLE " + table + " (code text, label text)",
                "INSERT INTO " + table + " VALUES ('a', 'first'), ('b', NULL), ('c', 'third')");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-bulk");
        Map<String, String> config = connectorConfig(postgres, table, "bulk");
        config.put("batch.max.rows", "2");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            List<TopicRecords.Row> rows = records.awaitUntil("two full copies", TIMEOUT, all -> all.size() >= 6);
            Map<Object, Long> copies = rows.stream()
                    .collect(Collectors.groupingBy(r -> r.get("code"), Collectors.counting()));
            assertTrue(copies.values().stream().allMatch(n -> n >= 2), "each row copied again: " + copies);
            assertNull(rows.get(0).key(), "no key: the table has neither primary key nor incrementing column");
            assertTrue(rows.stream().anyMatch(r -> "b".equals(r.get("code")) && r.get("label") == null));
        } finally {
            deleteConnector(rest, connector);
        }
    }

    @Test
    void tablesAreSpreadOverTasksEachIntoItsOwnTopic(PostgresServer postgres, KafkaBroker kafka,
                                                     ConnectWorker connect) throws Exception {
        String first = unique("jdbc_multi_a");
        String second = unique("jdbc_multi_b");
        String third = unique("jdbc_multi_c");
        for (String table : List.of(first, second, third)) {
            execute(postgres, "CREATE TABLE " + table + " (id serial PRIMARY KEY, origin text NOT NULL)",
                    "INSERT INTO " + table + " (origin) VALUES ('" + table + "'), ('" + table + "')");
            createTopicFor(kafka, table);
        }
        String connector = unique("jdbc-multi");
        Map<String, String> config = connectorConfig(postgres, first + ",public." + second + "," + third,
                "incrementing");
        config.put("incrementing.column.name", "id");
        config.put("tasks.max", "2");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try {
            ConnectAwait.taskState(rest, connector, 0, "RUNNING", TIMEOUT);
            ConnectAwait.taskState(rest, connector, 1, "RUNNING", TIMEOUT);
            ConnectRestException noThirdTask = assertThrows(ConnectRestException.class,
                    () -> rest.taskStatus(connector, 2));
            assertEquals(404, noThirdTask.status(), "two tasks for three tables, max 2");
            for (String table : List.of(first, second, third)) {
                try (TopicRecords records = new TopicRecords(kafka, TOPIC_PREFIX + table)) {
                    List<TopicRecords.Row> rows = records.awaitUntil("rows of " + table, TIMEOUT,
                            all -> all.size() >= 2);
                    assertEquals(Map.of(table, 2L), rows.stream().collect(Collectors.groupingBy(
                            r -> (String) r.get("origin"), Collectors.counting())));
                }
            }
        } finally {
            deleteConnector(rest, connector);
        }
    }
}
