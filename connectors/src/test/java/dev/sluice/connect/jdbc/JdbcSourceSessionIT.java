package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.createTopicFor;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.deleteConnector;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the source's database session does between and inside polls, seen from PostgreSQL: no transaction is
 * left open once a poll has returned, and the session is read-only.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceSessionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aPausedTaskInTheMiddleOfATableHoldsNoTransaction(PostgresServer postgres, KafkaBroker kafka,
                                                          ConnectWorker connect) throws Exception {
        int total = 5_000;
        String table = unique("jdbc_idle");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL, "
                        + "updated_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO " + table + " (payload, updated_at) SELECT 'row ' || g, now() - interval '1 hour' "
                        + "+ g * interval '1 millisecond' FROM generate_series(1, " + total + ") g");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-idle");
        Map<String, String> config = connectorConfig(postgres, table, "timestamp+incrementing");
        config.put("incrementing.column.name", "id");
        config.put("timestamp.column.name", "updated_at");
        config.put("batch.max.rows", "3");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            records.awaitUntil("the first rows", TIMEOUT, rows -> !rows.isEmpty());
            rest.pause(connector);
            ConnectAwait.taskState(rest, connector, 0, "PAUSED", TIMEOUT);
            int delivered = records.awaitUntil("a look at the topic", TIMEOUT, rows -> true).size();
            assertTrue(delivered < total, "paused in the middle of the table (" + delivered + " of " + total + ")");

            // A poll in flight when the pause arrived finishes first: wait for its session to go idle.
            Await.until("the task's session is idle", TIMEOUT,
                    () -> sessionStates(postgres, connector).equals(List.of("idle")));
            assertEquals(List.of("idle"), sessionStates(postgres, connector),
                    "one session, outside any transaction: no snapshot, xmin or lock held while paused");

            rest.resume(connector);
            List<TopicRecords.Row> rows = records.awaitUntil("every row", TIMEOUT, all -> all.size() >= total);
            assertEquals(total, rows.stream().map(r -> r.get("id")).distinct().count(), "every row once");
            assertEquals(total, rows.size(), "no repeat after the pause");
        } finally {
            deleteConnector(rest, connector);
        }
    }

    @Test
    void aQueryThatWritesThroughAFunctionFailsInTheReadOnlyTransaction(PostgresServer postgres, KafkaBroker kafka,
                                                                       ConnectWorker connect) throws Exception {
        String table = unique("jdbc_ro");
        String counter = table + "_calls";
        String function = table + "_bump";
        // The text is a plain SELECT, so the query check lets it through; the function writes behind it.
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY)",
                "INSERT INTO " + table + " DEFAULT VALUES",
                "CREATE TABLE " + counter + " (n int NOT NULL)",
                "INSERT INTO " + counter + " VALUES (0)",
                "CREATE FUNCTION " + function + "() RETURNS int LANGUAGE sql VOLATILE AS "
                        + "'UPDATE " + counter + " SET n = n + 1 RETURNING n'");
        String connector = unique("jdbc-ro");
        String topic = "it.bronze.warehouse.query_" + table;
        kafka.createTopics(1, topic);
        Map<String, String> config = connectorConfig(postgres, table, "incrementing");
        config.remove("tables");
        config.put("query", "SELECT id, " + function + "() AS calls FROM " + table);
        config.put("incrementing.column.name", "id");
        config.put("topic.prefix", topic);
        config.put("connection.attempts", "1");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try {
            ConnectAwait.taskState(rest, connector, 0, "FAILED", TIMEOUT);
            String trace = rest.taskStatus(connector, 0).path("trace").asText();
            assertTrue(trace.contains("read-only transaction"), trace);
            assertEquals(0, counterValue(postgres, counter), "the function's UPDATE did not happen");
        } finally {
            deleteConnector(rest, connector);
        }
    }

    /** The state of each database session of the connector's tasks, named by their application_name. */
    private static List<String> sessionStates(PostgresServer postgres, String connector) throws Exception {
        List<String> states = new ArrayList<>();
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT state FROM pg_stat_activity WHERE application_name = '"
                     + JdbcSourceTask.APPLICATION_NAME_PREFIX + connector + "'")) {
            while (rs.next()) {
                states.add(rs.getString(1));
            }
        }
        return states;
    }

    private static int counterValue(PostgresServer postgres, String counter) throws Exception {
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT n FROM " + counter)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
