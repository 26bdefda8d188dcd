package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.TOPIC_PREFIX;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The task facing a database outage, made real by cutting a TCP proxy between the connector and PostgreSQL:
 * a short outage is retried with backoff and the stream resumes without gap or repeat; a long one fails the
 * task with a clear message after {@code connection.attempts}, without a tight reconnect loop.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aShortOutageIsRetriedAndTheStreamResumesExactly(PostgresServer postgres, KafkaBroker kafka,
                                                         ConnectWorker connect) throws Exception {
        String table = unique("jdbc_outage");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO " + table + " (payload) SELECT 'before' FROM generate_series(1, 10)");
        String topic = TOPIC_PREFIX + table;
        kafka.createTopics(1, topic);
        String connector = unique("jdbc-outage");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (TcpProxy proxy = new TcpProxy(postgres.port());
             TopicRecords records = new TopicRecords(kafka, topic);
             AutoCloseable deleteFirst = () -> rest.deleteConnector(connector)) {
            Map<String, String> config = connectorConfig(postgres, table, "incrementing");
            config.put("connection.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/warehouse");
            config.put("incrementing.column.name", "id");
            config.put("connection.attempts", "100");
            config.put("connection.backoff.ms", "200");
            rest.putConnector(connector, config);
            records.awaitUntil("rows before the outage", TIMEOUT, rows -> rows.size() >= 10);

            proxy.cutOff();
            execute(postgres, "INSERT INTO " + table + " (payload) SELECT 'during' FROM generate_series(1, 10)");
            Await.until("the task retries to connect", TIMEOUT, () -> proxy.refusedConnections() >= 3);
            assertEquals("RUNNING", rest.taskStatus(connector, 0).path("state").asText(),
                    "the task is still retrying, not failed");
            proxy.restore();

            execute(postgres, "INSERT INTO " + table + " (payload) VALUES ('sentinel')");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    row -> "sentinel".equals(row.get("payload")));
            assertEquals(LongStream.rangeClosed(1, 21).boxed().toList(),
                    rows.stream().map(r -> (Long) r.get("id")).toList(), "every id once across the outage");
        }
    }

    @Test
    void aLongOutageFailsTheTaskWithAClearMessageAfterTheConfiguredAttempts(
            PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect) throws Exception {
        String table = unique("jdbc_down");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO " + table + " (payload) VALUES ('only')");
        String topic = TOPIC_PREFIX + table;
        kafka.createTopics(1, topic);
        String connector = unique("jdbc-down");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (TcpProxy proxy = new TcpProxy(postgres.port());
             TopicRecords records = new TopicRecords(kafka, topic);
             AutoCloseable deleteFirst = () -> rest.deleteConnector(connector)) {
            Map<String, String> config = connectorConfig(postgres, table, "incrementing");
            config.put("connection.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/warehouse");
            config.put("incrementing.column.name", "id");
            config.put("connection.attempts", "3");
            config.put("connection.backoff.ms", "300");
            rest.putConnector(connector, config);
            records.awaitUntil("the row before the outage", TIMEOUT, rows -> rows.size() >= 1);

            proxy.cutOff();
            rest.awaitTaskState(connector, 0, "FAILED", TIMEOUT);
            JsonNode status = rest.taskStatus(connector, 0);
            String trace = status.path("trace").asText();
            assertTrue(trace.contains("gave up after 3 consecutive failed attempt(s)"), trace);
            assertTrue(trace.contains(table), "names the table it was reading: " + trace);
            assertTrue(trace.contains("connection.attempts=3"), trace);
            assertFalse(trace.contains(postgres.password()), "no password in the trace");
            assertTrue(proxy.refusedConnections() <= 3,
                    "at most one connection attempt per allowed attempt, no tight loop: "
                            + proxy.refusedConnections());
        }
    }
}
