package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.createTopicFor;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.deleteConnector;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.warehouseUrlThrough;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.testing.TcpProxy;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
    /**
     * For the whole table to stream through pages of three rows: every page is a query of its own (no cursor is
     * held between polls), so hundreds of them take tens of seconds on a loaded machine.
     */
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aShortOutageIsRetriedAndTheStreamResumesExactly(PostgresServer postgres, KafkaBroker kafka,
                                                         ConnectWorker connect) throws Exception {
        String table = unique("jdbc_outage");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO " + table + " (payload) SELECT 'before' FROM generate_series(1, 10)");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-outage");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (TcpProxy proxy = new TcpProxy(postgres.port());
             TopicRecords records = new TopicRecords(kafka, topic);
             AutoCloseable deleteFirst = () -> deleteConnector(rest, connector)) {
            Map<String, String> config = connectorConfig(postgres, table, "incrementing");
            config.put("connection.url", warehouseUrlThrough(proxy));
            config.put("incrementing.column.name", "id");
            config.put("connection.attempts", "100");
            config.put("connection.backoff.ms", "200");
            rest.putConfig(connector, config);
            records.awaitUntil("rows before the outage", TIMEOUT, rows -> rows.size() >= 10);

            proxy.cutOff();
            execute(postgres, "INSERT INTO " + table + " (payload) SELECT 'during' FROM generate_series(1, 10)");
            Await.until("the task retries to connect", TIMEOUT, () -> proxy.refusedConnections() >= 3);
            assertEquals("RUNNING", rest.taskStatus(connector, 0).path("state").asText(),
                    "the task is still retrying, not failed");
            proxy.restore();

            execute(postgres, "INSERT INTO " + table + " (payload) VALUES ('sentinel')");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", STREAM_TIMEOUT,
                    row -> "sentinel".equals(row.get("payload")));
            assertEquals(LongStream.rangeClosed(1, 21).boxed().toList(),
                    rows.stream().map(r -> (Long) r.get("id")).toList(), "every id once across the outage");
        }
    }

    @Test
    void anOutageInTheMiddleOfAResultLosesNoRowOfTheBatchBeingRead(PostgresServer postgres, KafkaBroker kafka,
                                                                  ConnectWorker connect) throws Exception {
        int total = 2_000;
        String table = unique("jdbc_cursor");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO " + table + " (payload) SELECT 'row ' || g FROM generate_series(1, " + total + ") g");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-cursor");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (TcpProxy proxy = new TcpProxy(postgres.port());
             TopicRecords records = new TopicRecords(kafka, topic);
             AutoCloseable deleteFirst = () -> deleteConnector(rest, connector)) {
            Map<String, String> config = connectorConfig(postgres, table, "incrementing");
            config.put("connection.url", warehouseUrlThrough(proxy));
            config.put("incrementing.column.name", "id");
            // Three rows per page: the table streams over hundreds of polls, and the cut comes after the first.
            config.put("batch.max.rows", "3");
            config.put("connection.attempts", "100");
            rest.putConfig(connector, config);

            cutOffMidStream(records, proxy);

            execute(postgres, "INSERT INTO " + table + " (payload) VALUES ('sentinel')");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", STREAM_TIMEOUT,
                    row -> "sentinel".equals(row.get("payload")));
            assertEquals(LongStream.rangeClosed(1, total + 1).boxed().toList(),
                    rows.stream().map(r -> (Long) r.get("id")).toList(), "every id once across the cut");
        }
    }

    @Test
    void inTimestampModeAnOutageInsideAGroupOfEqualTimestampsRepeatsThatGroupAndSkipsNothing(
            PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect) throws Exception {
        int total = 3_000;
        String table = unique("jdbc_cursor_ts");
        // Groups of ten rows share a timestamp; batches of three end inside groups.
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, modified timestamptz NOT NULL)",
                "INSERT INTO " + table + " (modified) SELECT now() - interval '1 hour' + "
                        + "((g / 10) * interval '1 millisecond') FROM generate_series(1, " + total + ") g");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-cursor-ts");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (TcpProxy proxy = new TcpProxy(postgres.port());
             TopicRecords records = new TopicRecords(kafka, topic);
             AutoCloseable deleteFirst = () -> deleteConnector(rest, connector)) {
            Map<String, String> config = connectorConfig(postgres, table, "timestamp");
            config.put("connection.url", warehouseUrlThrough(proxy));
            config.put("timestamp.column.name", "modified");
            config.put("batch.max.rows", "3");
            config.put("connection.attempts", "100");
            rest.putConfig(connector, config);

            cutOffMidStream(records, proxy);

            records.awaitUntil("every row", STREAM_TIMEOUT, rows -> rows.stream().map(r -> r.get("id")).distinct()
                    .count() >= total);
            execute(postgres, "INSERT INTO " + table + " (modified) VALUES (clock_timestamp())");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    row -> Long.valueOf(total + 1).equals(row.get("id")));
            Map<Long, Long> copies = rows.stream().collect(Collectors.groupingBy(r -> (Long) r.get("id"),
                    TreeMap::new, Collectors.counting()));
            assertEquals(LongStream.rangeClosed(1, total + 1).boxed().toList(), List.copyOf(copies.keySet()),
                    "no row skipped");
            List<Object> repeatedTimestamps = rows.stream().filter(r -> copies.get((Long) r.get("id")) > 1)
                    .map(r -> r.get("modified")).distinct().toList();
            assertTrue(repeatedTimestamps.size() <= 1, "repeats are the rows of one timestamp: " + repeatedTimestamps);
            assertTrue(copies.values().stream().allMatch(n -> n <= 2), "no row more than twice");
        }
    }

    /**
     * Cuts the database off once the task has delivered its first pages of {@code table}, i.e. in the middle of
     * streaming it page by page, and restores it once the task has tried to reconnect. Nothing else is awaited:
     * the cut may hit a query, a page being read or the pause between two polls.
     */
    private static void cutOffMidStream(TopicRecords records, TcpProxy proxy) {
        records.awaitUntil("the first pages", TIMEOUT, rows -> !rows.isEmpty());
        proxy.cutOff();
        Await.until("the task retries", TIMEOUT, () -> proxy.refusedConnections() >= 1);
        proxy.restore();
    }

    @Test
    void aLongOutageFailsTheTaskWithAClearMessageAfterTheConfiguredAttempts(
            PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect) throws Exception {
        String table = unique("jdbc_down");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO " + table + " (payload) VALUES ('only')");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-down");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        try (TcpProxy proxy = new TcpProxy(postgres.port());
             TopicRecords records = new TopicRecords(kafka, topic);
             AutoCloseable deleteFirst = () -> deleteConnector(rest, connector)) {
            Map<String, String> config = connectorConfig(postgres, table, "incrementing");
            config.put("connection.url", warehouseUrlThrough(proxy));
            config.put("incrementing.column.name", "id");
            config.put("connection.attempts", "3");
            config.put("connection.backoff.ms", "300");
            rest.putConfig(connector, config);
            records.awaitUntil("the row before the outage", TIMEOUT, rows -> rows.size() >= 1);

            proxy.cutOff();
            ConnectAwait.taskState(rest, connector, 0, "FAILED", TIMEOUT);
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
