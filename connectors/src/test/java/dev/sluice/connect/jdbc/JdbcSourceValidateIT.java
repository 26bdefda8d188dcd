package dev.sluice.connect.jdbc;

import static dev.sluice.connect.jdbc.JdbcSourceItSupport.CONNECTOR_CLASS;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.connectorConfig;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.execute;
import static dev.sluice.connect.jdbc.JdbcSourceItSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.connect.admin.ConnectRestClient;
import dev.sluice.connect.admin.ConnectRestException;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.PostgresServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connect's validate endpoint ({@code PUT /connector-plugins/{class}/config/validate}) on the real worker reports
 * configuration errors found against the live database, each attached to the setting to fix.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class JdbcSourceValidateIT {

    private static String table;
    private static ConnectRestClient rest;
    private static PostgresServer postgres;

    @BeforeAll
    static void createTable(PostgresServer server, ConnectWorker connect) throws Exception {
        postgres = server;
        rest = new ConnectRestClient(connect.restUrl());
        table = unique("jdbc_validate");
        execute(postgres, "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, name text, "
                + "updated_at timestamptz NOT NULL DEFAULT now())");
    }

    private static Map<String, String> validConfig() {
        Map<String, String> config = connectorConfig(postgres, table, "timestamp+incrementing");
        config.put("name", "validate-only");
        config.put("incrementing.column.name", "id");
        config.put("timestamp.column.name", "updated_at");
        return config;
    }

    /** Error messages per setting, only for settings that have errors. */
    private static Map<String, List<String>> errors(Map<String, String> config) {
        JsonNode result = rest.validate(CONNECTOR_CLASS, config);
        Map<String, List<String>> errors = new HashMap<>();
        for (JsonNode entry : result.path("configs")) {
            JsonNode value = entry.path("value");
            List<String> messages = new ArrayList<>();
            value.path("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(value.path("name").asText(), messages);
            }
        }
        assertEquals(errors.values().stream().mapToInt(List::size).sum(), result.path("error_count").asInt(),
                "error_count matches the listed errors");
        return errors;
    }

    private static void assertSingleError(Map<String, String> config, String key, String fragment) {
        Map<String, List<String>> errors = errors(config);
        assertEquals(List.of(key), List.copyOf(errors.keySet()), "errors: " + errors);
        assertTrue(String.join(" | ", errors.get(key)).contains(fragment), key + ": " + errors.get(key));
    }

    @Test
    void aValidConfigWithThePasswordFromAFileProviderHasNoErrors() throws Exception {
        Path secrets = Files.createTempFile(Path.of("target"), "jdbc-secrets", ".properties");
        try {
            Files.writeString(secrets, "password=" + postgres.password() + "\n");
            Map<String, String> config = validConfig();
            config.put("connection.password", "${file:" + secrets.toAbsolutePath() + ":password}");
            assertEquals(Map.of(), errors(config));
        } finally {
            Files.delete(secrets);
        }
    }

    @Test
    void unknownTableIsReportedOnTables() {
        Map<String, String> config = validConfig();
        config.put("tables", table + ",no_such_table");
        assertSingleError(config, "tables", "table 'no_such_table' does not exist");
    }

    @Test
    void unknownColumnIsReportedOnItsSettingWithTheColumnsThatExist() {
        Map<String, String> config = validConfig();
        config.put("incrementing.column.name", "order_no");
        assertSingleError(config, "incrementing.column.name", "column 'order_no' does not exist");
        assertSingleError(config, "incrementing.column.name", "id, name, updated_at");
    }

    @Test
    void columnOfTheWrongTypeIsReportedOnItsSetting() {
        Map<String, String> config = validConfig();
        config.put("timestamp.column.name", "name");
        assertSingleError(config, "timestamp.column.name", "needs a timestamp or date column");
    }

    @Test
    void wrongModeIsReportedOnMode() {
        Map<String, String> config = validConfig();
        config.put("mode", "timestamp-incrementing");
        assertSingleError(config, "mode", "timestamp+incrementing");
    }

    @Test
    void modeWithoutItsColumnIsReportedOnTheMissingSetting() {
        Map<String, String> config = validConfig();
        config.remove("incrementing.column.name");
        assertSingleError(config, "incrementing.column.name", "needs incrementing.column.name");
    }

    @Test
    void unreachableDatabaseIsReportedOnTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> config = validConfig();
        config.put("connection.url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/warehouse");
        assertSingleError(config, "connection.url", "cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort);
    }

    @Test
    void wrongPasswordIsReportedOnThePasswordAndNeverEchoed() {
        Map<String, String> config = validConfig();
        String wrong = "not-the-password-" + unique("x");
        config.put("connection.password", wrong);
        assertSingleError(config, "connection.password", "rejected the password of user 'sluice'");
        assertFalse(rest.validate(CONNECTOR_CLASS, config).toString().contains(wrong),
                "the response never shows the password");
    }

    @Test
    void failingQueryIsReportedOnQuery() {
        Map<String, String> config = validConfig();
        config.remove("tables");
        config.put("query", "SELECT id, updated_at FROM " + table + " WHERE");
        config.put("topic.prefix", "it.bronze.warehouse.query");
        assertSingleError(config, "query", "cannot read the query");
    }

    @Test
    void aQueryThatWritesOrHoldsSeveralStatementsIsRefusedOnQueryAndNeverRuns() throws Exception {
        execute(postgres, "INSERT INTO " + table + " (name) VALUES ('kept')");
        for (String query : List.of(
                "DELETE FROM " + table,
                "SELECT id, updated_at FROM " + table + "; DROP TABLE " + table,
                "WITH gone AS (DELETE FROM " + table + " RETURNING *) SELECT id, updated_at FROM gone",
                "SELECT id, updated_at FROM " + table + " FOR UPDATE",
                "SELECT * INTO copy_of_" + table + " FROM " + table)) {
            Map<String, String> config = validConfig();
            config.remove("tables");
            config.put("query", query);
            config.put("topic.prefix", "it.bronze.warehouse.query");
            assertSingleError(config, "query", "Allowed is one read-only SELECT");
            String name = unique("jdbc-refused-query");
            config.put("name", name);
            ConnectRestException refused = assertThrows(ConnectRestException.class, () -> rest.putConfig(name, config));
            assertEquals(400, refused.status(), refused.getMessage());
        }
        try (Connection connection = postgres.connect(PostgresServer.WAREHOUSE_DB);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE name = 'kept'")) {
            assertTrue(rs.next() && rs.getInt(1) == 1, "the table and its row are still there");
        }
    }

    @Test
    void creatingAConnectorWithAnUnknownTableIsRefused() {
        Map<String, String> config = validConfig();
        config.put("tables", "missing_" + table);
        String name = unique("jdbc-refused");
        config.put("name", name);
        ConnectRestException refused = assertThrows(ConnectRestException.class, () -> rest.putConfig(name, config));
        assertEquals(400, refused.status(), refused.getMessage());
        assertTrue(refused.getMessage().contains("tables: table 'missing_" + table + "' does not exist"),
                refused.getMessage());
    }
}
