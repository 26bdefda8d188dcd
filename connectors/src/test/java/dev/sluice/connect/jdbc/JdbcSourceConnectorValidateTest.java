package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The checks {@link JdbcSourceConnector#validate} makes without a database, and the one it makes when the
 * database cannot be reached: each error is attached to the setting to fix and never repeats credentials.
 */
class JdbcSourceConnectorValidateTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "jdbc:postgresql://127.0.0.1:5432/warehouse");
        props.put("connection.user", "sluice");
        props.put("connection.password", "s3cret-pw");
        props.put("tables", "exchange_rates");
        props.put("mode", "timestamp+incrementing");
        props.put("incrementing.column.name", "id");
        props.put("timestamp.column.name", "updated_at");
        props.put("topic.prefix", "bronze.warehouse.");
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new JdbcSourceConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private static void assertOnlyError(Map<String, String> props, String key, String expectedFragment) {
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of(key), List.copyOf(errors.keySet()), "errors: " + errors);
        String message = String.join(" | ", errors.get(key));
        assertTrue(message.contains(expectedFragment), message);
        assertFalse(message.contains("s3cret-pw"), "the password never appears in a message: " + message);
    }

    @Test
    void unknownModeIsReportedOnMode() {
        Map<String, String> props = valid();
        props.put("mode", "incremental");
        assertOnlyError(props, "mode", "timestamp+incrementing");
    }

    @Test
    void missingModeIsReportedOnMode() {
        Map<String, String> props = valid();
        props.remove("mode");
        assertOnlyError(props, "mode", "mode");
    }

    @Test
    void incrementingModesNeedTheIncrementingColumn() {
        Map<String, String> props = valid();
        props.remove("incrementing.column.name");
        assertOnlyError(props, "incrementing.column.name", "mode 'timestamp+incrementing' needs");
    }

    @Test
    void timestampModesNeedTheTimestampColumn() {
        Map<String, String> props = valid();
        props.put("mode", "timestamp");
        props.put("timestamp.column.name", " ");
        assertOnlyError(props, "timestamp.column.name", "mode 'timestamp' needs");
    }

    @Test
    void eitherTablesOrQuery() {
        Map<String, String> neither = valid();
        neither.remove("tables");
        assertOnlyError(neither, "tables", "set either tables");
        Map<String, String> both = valid();
        both.put("query", "SELECT * FROM exchange_rates");
        assertOnlyError(both, "query", "not both");
    }

    @Test
    void malformedTableNameIsReportedOnTables() {
        Map<String, String> props = valid();
        props.put("tables", "a.b.c.d");
        assertOnlyError(props, "tables", "more than three");
    }

    @Test
    void urlMustBeJdbcAndIsNotEchoed() {
        Map<String, String> props = valid();
        props.put("connection.url", "postgresql://u:s3cret-pw@host/db");
        assertOnlyError(props, "connection.url", "must be a JDBC URL");
    }

    @Test
    void topicPrefixMustBeALegalTopicName() {
        Map<String, String> props = valid();
        props.put("topic.prefix", "bronze/warehouse");
        assertOnlyError(props, "topic.prefix", "topic.prefix");
    }

    @Test
    void customQueryNeedsATopicName() {
        Map<String, String> props = valid();
        props.remove("tables");
        props.put("query", "SELECT * FROM exchange_rates");
        props.put("topic.prefix", "");
        assertOnlyError(props, "topic.prefix", "must not be empty");
    }

    @Test
    void numericLimitsAreChecked() {
        Map<String, String> props = valid();
        props.put("batch.max.rows", "0");
        assertOnlyError(props, "batch.max.rows", "batch.max.rows");
        props = valid();
        props.put("connection.attempts", "0");
        assertOnlyError(props, "connection.attempts", "connection.attempts");
        props = valid();
        props.put("db.timezone", "Mars/Olympus");
        assertOnlyError(props, "db.timezone", "time zone");
    }

    @Test
    void unreachableDatabaseIsReportedOnTheUrlWithoutCredentials() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> props = valid();
        props.put("connection.url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/warehouse?password=s3cret-pw");
        assertOnlyError(props, "connection.url", "cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort);
    }

    @Test
    void missingDriverIsReportedOnTheUrl() {
        Map<String, String> props = valid();
        props.put("connection.url", "jdbc:nosuchdb://admin:s3cret-pw@127.0.0.1/warehouse");
        assertOnlyError(props, "connection.url", "no JDBC driver on the worker's class path");
    }

    @Test
    void configConstructorFailsFastNamingTheKey() {
        Map<String, String> props = valid();
        props.remove("timestamp.column.name");
        ConfigException e = assertThrows(ConfigException.class, () -> new JdbcSourceConnectorConfig(props));
        assertTrue(e.getMessage().startsWith("timestamp.column.name"), e.getMessage());
    }

    @Test
    void typedAccessorsReadTheSettings() {
        Map<String, String> props = valid();
        props.put("tables", "public.exchange_rates, product_catalog");
        props.put("key.columns", "id, code");
        JdbcSourceConnectorConfig config = new JdbcSourceConnectorConfig(props);
        assertEquals(List.of(new TableId(null, "public", "exchange_rates"), new TableId(null, null, "product_catalog")),
                config.tables());
        assertEquals(Mode.TIMESTAMP_INCREMENTING, config.mode());
        assertEquals("s3cret-pw", config.connectionPassword().value());
        assertEquals("[hidden]", config.connectionPassword().toString());
        assertEquals(List.of("id", "code"), config.keyColumns());
        assertEquals(1_000L, config.timestampDelayMs());
        assertEquals("bronze.warehouse.exchange_rates", config.topicFor(config.tables().get(0)));
        assertEquals("UTC", config.dbTimeZone().getID());
    }

    @Test
    void everyKeyIsDocumentedGroupedAndOrdered() {
        ConfigDef def = JdbcSourceConnectorConfig.configDef();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            assertTrue(key.documentation != null && key.documentation.length() > 20, key.name + " is documented");
            assertTrue(key.group != null && !key.group.isEmpty(), key.name + " has a group");
            assertTrue(key.orderInGroup > 0, key.name + " has an order");
        }
        assertEquals(ConfigDef.Type.PASSWORD, def.configKeys().get("connection.password").type);
    }
}
