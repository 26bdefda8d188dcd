package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class ConnectionFactoryTest {

    @Test
    void redactionKeepsHostPortAndDatabase() {
        assertEquals("jdbc:postgresql://db:5432/warehouse",
                ConnectionFactory.redact("jdbc:postgresql://db:5432/warehouse"));
    }

    @Test
    void redactionDropsUserInfoAndParameters() {
        assertEquals("jdbc:postgresql://***@db:5432/warehouse?…",
                ConnectionFactory.redact("jdbc:postgresql://u:pw@db:5432/warehouse?password=pw&ssl=true"));
        assertEquals("jdbc:sqlserver://db:1433?…",
                ConnectionFactory.redact("jdbc:sqlserver://db:1433;databaseName=dw;password=pw"));
        String oracle = ConnectionFactory.redact("jdbc:oracle:thin:scott/tiger@db:1521/svc");
        assertFalse(oracle.contains("tiger"), oracle);
        assertEquals("jdbc:oracle:thin:***@db:1521/svc", oracle);
    }

    @Test
    void sanitizedExceptionsKeepStateButNotSecrets() {
        String url = "jdbc:x://db/dw?password=pw123";
        ConnectionFactory factory = new ConnectionFactory(url, "u", new Password("pw123"));
        SQLException original = new SQLException("cannot open " + url + " with pw123", "28P01", 7);
        SQLException safe = factory.sanitize(original);
        assertEquals("28P01", safe.getSQLState());
        assertEquals(7, safe.getErrorCode());
        assertFalse(safe.getMessage().contains("pw123"), safe.getMessage());
        assertTrue(safe.getMessage().contains("jdbc:x://db/dw"), safe.getMessage());
    }

    @Test
    void urlWithoutDriverFailsWithConnectionStateAndNoCredentials() {
        ConnectionFactory factory = new ConnectionFactory("jdbc:nosuchdb://u:pw123@db/dw", "u", new Password("pw123"));
        SQLException e = assertThrows(SQLException.class, factory::open);
        assertEquals("08001", e.getSQLState());
        assertFalse(e.getMessage().contains("pw123"), e.getMessage());
    }
}
