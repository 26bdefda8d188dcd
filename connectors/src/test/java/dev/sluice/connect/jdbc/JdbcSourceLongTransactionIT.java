package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.createTopicFor;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.deleteConnector;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The review's case on the real platform: PostgreSQL's {@code now()} is the start of the writing transaction, so
 * a transaction held open far longer than {@code timestamp.delay.interval.ms}, while other sessions keep
 * committing later timestamps, commits a row whose timestamp lies below what the source has already read past.
 * The source must wait for that transaction instead of skipping its row.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceLongTransactionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /**
     * The source's delay, and session B's pace while A holds its transaction: twenty updates, one per half delay,
     * hold A open for ten times the delay, on a time scale that costs the run two seconds rather than ten.
     */
    private static final int DELAY_MS = 200;
    private static final int UPDATES_DURING_HOLD = 20;

    @Test
    void aRowOfATransactionOpenLongerThanTheDelayIsDeliveredOnceAfterItCommits(
            PostgresServer postgres, KafkaBroker kafka, ConnectWorker connect) throws Exception {
        String table = unique("jdbc_longtx");
        execute(postgres, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, supplier text NOT NULL, "
                        + "updated_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO " + table + " (id, supplier) SELECT g, 'initial' FROM generate_series(1, 5) g");
        String topic = createTopicFor(kafka, table);
        String connector = unique("jdbc-longtx");
        Map<String, String> config = connectorConfig(postgres, table, "timestamp+incrementing");
        config.put("incrementing.column.name", "id");
        config.put("timestamp.column.name", "updated_at");
        config.put("timestamp.delay.interval.ms", Integer.toString(DELAY_MS));
        ConnectRestClient rest = new ConnectRestClient(connect.restUrl());
        ScheduledExecutorService sessionB = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger updatesOfB = new AtomicInteger();
        AtomicReference<Exception> failureOfB = new AtomicReference<>();
        rest.putConfig(connector, config);
        try (TopicRecords records = new TopicRecords(kafka, topic);
             Connection sessionA = postgres.connect(PostgresServer.WAREHOUSE_DB)) {
            records.awaitUntil("the five initial rows", TIMEOUT, rows -> rows.size() >= 5);

            sessionA.setAutoCommit(false);
            try (Statement statement = sessionA.createStatement()) {
                statement.executeUpdate("UPDATE " + table + " SET supplier = 'LATE', updated_at = now() WHERE id = 1");
            }
            // Session B: a committed update of rows 2..5 every half delay, each with a later timestamp.
            sessionB.scheduleWithFixedDelay(() -> {
                int n = updatesOfB.get() + 1;
                try {
                    execute(postgres, "UPDATE " + table + " SET supplier = 'B" + n + "', updated_at = now() "
                            + "WHERE id = " + (2 + n % 4));
                    updatesOfB.set(n);
                } catch (Exception e) {
                    failureOfB.compareAndSet(null, e);
                }
            }, 0, DELAY_MS / 2, TimeUnit.MILLISECONDS);
            Await.until("session B's updates while A is open", TIMEOUT,
                    () -> updatesOfB.get() >= UPDATES_DURING_HOLD || failureOfB.get() != null);
            assertNull(failureOfB.get(), "session B's updates");
            List<TopicRecords.Row> duringHold = records.awaitUntil("a look at the topic", TIMEOUT, rows -> true);
            assertTrue(duringHold.stream().noneMatch(r -> String.valueOf(r.get("supplier")).startsWith("B")),
                    "B's later rows wait while A, which started before them, is open: "
                            + duringHold.stream().map(r -> r.get("supplier")).toList());
            sessionA.commit();

            records.awaitRecord("A's row after its commit", TIMEOUT, r -> "LATE".equals(r.get("supplier")));
            sessionB.shutdown();
            assertTrue(sessionB.awaitTermination(10, TimeUnit.SECONDS), "session B stopped");
            execute(postgres, "INSERT INTO " + table + " (id, supplier) VALUES (6, 'sentinel')");
            List<TopicRecords.Row> rows = records.awaitRecord("the sentinel", TIMEOUT,
                    r -> "sentinel".equals(r.get("supplier")));

            List<String> versions = rows.stream().map(r -> r.get("id") + ":" + r.get("supplier")).toList();
            assertEquals(1, versions.stream().filter("1:LATE"::equals).count(), "A's row exactly once: " + versions);
            assertEquals(versions.size(), versions.stream().distinct().count(), "no version twice: " + versions);
            // A source that queries sees a row's state when it reads it: updates in between collapse into the
            // last one, which must arrive.
            Map<Object, String> lastDelivered = new HashMap<>();
            rows.forEach(r -> lastDelivered.put(r.get("id"), (String) r.get("supplier")));
            assertEquals(currentSuppliers(postgres, table), lastDelivered, "every row's latest state arrived");
            List<Date> timestamps = rows.stream().map(r -> (Date) r.get("updated_at")).collect(Collectors.toList());
            for (int i = 1; i < timestamps.size(); i++) {
                assertFalse(timestamps.get(i).before(timestamps.get(i - 1)),
                        "delivered in timestamp order, nothing behind the offset: " + versions);
            }
        } finally {
            sessionB.shutdownNow();
            deleteConnector(rest, connector);
        }
    }

    private static Map<Object, String> currentSuppliers(PostgresServer postgres, String table) throws Exception {
        Map<Object, String> suppliers = new HashMap<>();
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, supplier FROM " + table)) {
            while (rs.next()) {
                suppliers.put(rs.getLong(1), rs.getString(2));
            }
        }
        return suppliers;
    }
}
