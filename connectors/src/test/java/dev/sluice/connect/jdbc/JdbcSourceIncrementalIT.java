package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.createTopicFor;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.deleteConnector;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The incremental modes on the real platform: new rows (and, with a timestamp, updated rows) arrive, and a
 * restart of the task or a delete and re-create of the connector in the middle of a stream resumes from the
 * committed offsets with neither a gap nor a repeat, proved by counting every (id, version) received.
 *
 * <p>Each test ends with a sentinel row written last: the topic has one partition and the connector reads in
 * order, so once the sentinel has arrived any repeat would already have arrived too.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceIncrementalIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void incrementingResumesAfterTheConnectorIsDeletedAndRecreated(PostgresServer postgres, KafkaBroker kafka,
                                                                   ConnectWorker connect) throws Exception {
        String table = unique("jdbc_incr");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO " + table + " (payload) SELECT 'row ' || g FROM generate_series(1, 30) g");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-incr");
        Map<String, String> config = connectorConfig(postgres, table, "incrementing");
        config.put("incrementing.column.name", "id");
        config.put("batch.max.rows", "7");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            records.awaitUntil("the first 30 rows", TIMEOUT, rows -> ids(rows).size() >= 30);

            deleteConnector(rest, connector);
            execute(postgres, "INSERT INTO " + table + " (payload) SELECT 'row ' || g FROM generate_series(31, 50) g");
            rest.putConfig(connector, config);
            execute(postgres, "INSERT INTO " + table + " (payload) VALUES ('sentinel')");

            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    row -> "sentinel".equals(row.get("payload")));
            assertEquals(LongStream.rangeClosed(1, 51).boxed().toList(), ids(rows),
                    "every id exactly once, in order, across the re-creation");
            assertEquals(1L, rows.get(0).key().get("id"), "keyed by the incrementing column");
        } finally {
            deleteConnector(rest, connector);
        }
    }

    @Test
    void timestampIncrementingReadsInsertsAndUpdatesAndSurvivesATaskRestartMidStream(
            PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect) throws Exception {
        String table = unique("jdbc_tsinc");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL, "
                + "updated_at timestamptz NOT NULL DEFAULT now())");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-tsinc");
        Map<String, String> config = connectorConfig(postgres, table, "timestamp+incrementing");
        config.put("incrementing.column.name", "id");
        config.put("timestamp.column.name", "updated_at");
        config.put("timestamp.delay.interval.ms", "100");
        config.put("batch.max.rows", "5");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            // One transaction: all ten rows share now(), so only the id orders them.
            execute(postgres, "INSERT INTO " + table + " (payload) SELECT 'v1' FROM generate_series(1, 10)");
            records.awaitUntil("ten inserted rows", TIMEOUT, rows -> rows.size() >= 10);

            execute(postgres, "UPDATE " + table + " SET payload = 'v2', updated_at = now() "
                    + "WHERE id IN (2, 5)");
            records.awaitUntil("two updated rows", TIMEOUT, rows -> versions(rows).contains("5:v2")
                    && versions(rows).contains("2:v2"));

            // 120 rows whose timestamps lie up to 4.8 s ahead, two per timestamp: they become readable over
            // time, so the restart below happens while the stream is flowing.
            execute(postgres, "INSERT INTO " + table + " (payload, updated_at) SELECT 'v1', "
                    + "clock_timestamp() + ((g / 2) * interval '80 milliseconds') FROM generate_series(1, 120) g");
            List<TopicRecords.Row> beforeRestart = records.awaitUntil("some of the streamed rows", TIMEOUT,
                    rows -> rows.size() >= 12 + 20);
            rest.restartTask(connector, 0);
            int streamedBeforeRestart = beforeRestart.size() - 12;
            assertTrue(streamedBeforeRestart < 120, "the restart happened mid-stream (" + streamedBeforeRestart
                    + " of 120 rows read before it)");

            records.awaitUntil("all streamed rows", TIMEOUT, rows -> ids(rows).contains(130L));
            execute(postgres, "INSERT INTO " + table + " (payload) VALUES ('sentinel')");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    row -> "sentinel".equals(row.get("payload")));

            List<String> expected = new ArrayList<>();
            LongStream.rangeClosed(1, 10).forEach(id -> expected.add(id + ":v1"));
            expected.add("2:v2");
            expected.add("5:v2");
            LongStream.rangeClosed(11, 130).forEach(id -> expected.add(id + ":v1"));
            expected.add("131:sentinel");
            assertEquals(expected, versions(rows), "each insert and update exactly once, in (timestamp, id) order");
        } finally {
            deleteConnector(rest, connector);
        }
    }

    @Test
    void timestampModeReadsUpdatesOfTimestampsWithoutTimeZone(PostgresServer postgres, KafkaBroker kafka,
                                                               ConnectWorker connect) throws Exception {
        String table = unique("jdbc_ts");
        // A timestamp without time zone written in UTC, as db.timezone (default UTC) says.
        execute(postgres, "CREATE TABLE " + table + " (code text PRIMARY KEY, rate numeric(10,4) NOT NULL, "
                + "modified timestamp NOT NULL)",
                "INSERT INTO " + table + " VALUES "
                        + "('EUR', 1.0000, (now() AT TIME ZONE 'UTC') - interval '3 seconds'), "
                        + "('USD', 1.0821, (now() AT TIME ZONE 'UTC') - interval '2 seconds'), "
                        + "('JPY', 161.2300, (now() AT TIME ZONE 'UTC') - interval '1 second')");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-ts");
        Map<String, String> config = connectorConfig(postgres, table, "timestamp");
        config.put("timestamp.column.name", "modified");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            records.awaitUntil("three rates", TIMEOUT, rows -> rows.size() >= 3);
            execute(postgres, "UPDATE " + table + " SET rate = 1.0900, modified = clock_timestamp() AT TIME ZONE 'UTC' "
                    + "WHERE code = 'USD'");
            records.awaitUntil("the updated rate", TIMEOUT,
                    rows -> rates(rows).contains("USD=1.0900"));
            execute(postgres, "INSERT INTO " + table + " VALUES ('sentinel', 0, clock_timestamp() AT TIME ZONE 'UTC')");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    row -> "sentinel".equals(row.get("code")));
            assertEquals(List.of("EUR=1.0000", "USD=1.0821", "JPY=161.2300", "USD=1.0900", "sentinel=0.0000"),
                    rates(rows));
            assertEquals("USD", rows.get(1).key().get("code"), "keyed by the primary key");
        } finally {
            deleteConnector(rest, connector);
        }
    }

    @Test
    void timestampModeRepeatsAtMostOneTimestampsRowsAfterARestartAndSkipsNone(
            PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect) throws Exception {
        String table = unique("jdbc_tsties");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, modified timestamptz NOT NULL)");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-tsties");
        Map<String, String> config = connectorConfig(postgres, table, "timestamp");
        config.put("timestamp.column.name", "modified");
        config.put("timestamp.delay.interval.ms", "100");
        // Batches of three over groups of four rows sharing a timestamp: batches end inside groups.
        config.put("batch.max.rows", "3");
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic)) {
            execute(postgres, "INSERT INTO " + table + " (modified) SELECT "
                    + "clock_timestamp() + ((g / 4) * interval '100 milliseconds') FROM generate_series(1, 80) g");
            int beforeRestart = records.awaitUntil("some rows", TIMEOUT, rows -> rows.size() >= 20).size();
            rest.restartTask(connector, 0);
            assertTrue(beforeRestart < 80, "restarted mid-stream (" + beforeRestart + " of 80 read)");
            records.awaitUntil("every row", TIMEOUT, rows -> ids(rows).containsAll(
                    LongStream.rangeClosed(1, 80).boxed().toList()));
            execute(postgres, "INSERT INTO " + table + " (modified) VALUES (clock_timestamp())");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    row -> Long.valueOf(81).equals(row.get("id")));

            Map<Long, Long> copies = rows.stream().collect(Collectors.groupingBy(r -> (Long) r.get("id"),
                    java.util.TreeMap::new, Collectors.counting()));
            assertEquals(LongStream.rangeClosed(1, 81).boxed().toList(), List.copyOf(copies.keySet()), "no gap");
            List<Object> repeatedTimestamps = rows.stream()
                    .filter(r -> copies.get((Long) r.get("id")) > 1)
                    .map(r -> r.get("modified")).distinct().toList();
            assertTrue(repeatedTimestamps.size() <= 1,
                    "repeats, if any, are the rows of one timestamp: " + repeatedTimestamps);
            assertTrue(copies.values().stream().allMatch(n -> n <= 2), "no row read more than twice: " + copies);
        } finally {
            deleteConnector(rest, connector);
        }
    }

    private static List<Long> ids(List<TopicRecords.Row> rows) {
        return rows.stream().map(r -> (Long) r.get("id")).toList();
    }

    private static List<String> versions(List<TopicRecords.Row> rows) {
        return rows.stream().map(r -> r.get("id") + ":" + r.get("payload")).collect(Collectors.toList());
    }

    private static List<String> rates(List<TopicRecords.Row> rows) {
        return rows.stream().map(r -> r.get("code") + "=" + ((java.math.BigDecimal) r.get("rate")).toPlainString())
                .toList();
    }
}
