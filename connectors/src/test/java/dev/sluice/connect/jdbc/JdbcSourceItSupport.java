package dev.sluice.connect.jdbc;

import dev.sluice.connect.admin.ConnectAwait;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.testing.TcpProxy;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Names and settings the JDBC source integration tests share. */
final class JdbcSourceItSupport {

    static final String CONNECTOR_CLASS = JdbcSourceConnector.class.getName();
    static final String TOPIC_PREFIX = "it.bronze.warehouse.";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(30);

    private JdbcSourceItSupport() {
    }

    /** A name no other test of this run uses, for tables, connectors and topics. */
    static String unique(String base) {
        return base + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + SEQUENCE.incrementAndGet();
    }

    /** A connector config against the warehouse database, JSON with schemas for keys and values, fast polls. */
    static Map<String, String> connectorConfig(PostgresServer postgres, String table, String mode) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CONNECTOR_CLASS);
        config.put("tasks.max", "1");
        config.put("connection.url", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB));
        config.put("connection.user", postgres.user());
        config.put("connection.password", postgres.password());
        config.put("tables", table);
        config.put("mode", mode);
        config.put("topic.prefix", TOPIC_PREFIX);
        config.put("poll.interval.ms", "100");
        config.put("timestamp.delay.interval.ms", "0");
        config.put("connection.backoff.ms", "200");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("key.converter.schemas.enable", "true");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "true");
        return config;
    }

    /** The warehouse database's JDBC URL by way of {@code proxy}, so that a test can cut the connector off. */
    static String warehouseUrlThrough(TcpProxy proxy) {
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + PostgresServer.WAREHOUSE_DB;
    }

    /** Creates the one-partition topic the connector writes {@code table} to; returns its name. */
    static String createTopicFor(KafkaBroker kafka, String table) {
        String topic = TOPIC_PREFIX + table;
        kafka.createTopics(1, topic);
        return topic;
    }

    /** Deletes the connector, if it exists, and waits until the worker no longer knows it. */
    static void deleteConnector(ConnectRestClient rest, String connector) {
        ConnectAwait.deleteAndAwaitGone(rest, connector, DELETE_TIMEOUT);
    }

    static void execute(PostgresServer postgres, String... statements) throws SQLException {
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
