package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomQueryCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT id, updated_at FROM orders",
            "select o.id, c.name from orders o join customers c on c.id = o.customer_id;",
            "SELECT 1;;  \n ",
            "  -- the open orders\n  SELECT id FROM orders WHERE status = 'open'",
            "/* header */ WITH recent AS (SELECT * FROM orders) SELECT * FROM recent",
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n FROM t",
            "(SELECT id FROM a) UNION (SELECT id FROM b)",
            "SELECT 'a; DROP TABLE orders; --' AS note FROM orders",
            "SELECT 'it''s; fine' FROM t",
            "SELECT \"update\", \"into\" FROM t",
            "SELECT \"a\"\"; DELETE\" FROM t",
            "SELECT $$; DELETE FROM t$$ AS body",
            "SELECT $q$ it's $$ ; INSERT $q$ FROM t",
            "SELECT price$eur FROM t",
            "SELECT id FROM t /* ; DELETE FROM t */ WHERE updated_at > now() - interval '1 day'",
            "SELECT id FROM orders -- ; DELETE FROM orders",
            "SELECT substring(name from 1 for 3), updated_at, inserted_by FROM t",
            "SELECT id FROM t WHERE x = E'tab'",
    })
    void acceptsOneReadOnlyStatement(String query) {
        assertEquals(Optional.empty(), CustomQueryCheck.problem(query), query);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1; DROP TABLE orders",
            "SELECT 1; SELECT 2",
            "SELECT 'x'; DELETE FROM t; --'",
            "SELECT $$x$$; DELETE FROM t",
            "SELECT 1 /* c */ ; /* c */ UPDATE t SET a = 1",
            "DROP TABLE orders",
            "TRUNCATE orders",
            "INSERT INTO t SELECT 1",
            "UPDATE t SET a = 1 RETURNING *",
            "DELETE FROM t",
            "CALL refresh()",
            "VALUES (1)",
            "EXPLAIN ANALYZE SELECT 1",
            "COPY t TO STDOUT",
            "WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone",
            "WITH moved AS (INSERT INTO archive SELECT * FROM t RETURNING id) SELECT id FROM moved",
            "WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM x",
            "WITH x AS (MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE) SELECT 1",
            "SELECT * INTO copy_of_orders FROM orders",
            "SELECT * FROM orders FOR UPDATE",
            "SELECT * FROM orders FOR NO KEY UPDATE SKIP LOCKED",
            "SELECT * FROM orders FOR SHARE",
            "SELECT * FROM orders FOR KEY SHARE",
            "SELECT * FROM orders LOCK IN SHARE MODE",
            "SELECT 'a\\'; DROP TABLE t; -- ' FROM t",
            "SELECT 1 /* /* */ ; DROP TABLE t; -- */",
            "SELECT 1 /*! ; DROP TABLE t */",
            "SELECT 1 # ' \n; DROP TABLE t; -- '",
            "SELECT 1 --x\n; DROP TABLE t",
            "SELECT 'never closed",
            "SELECT \"never closed",
            "SELECT $$never closed",
            "SELECT 1 /* never closed",
            "-- only a comment",
            "(",
    })
    void refusesEverythingElse(String query) {
        assertTrue(CustomQueryCheck.problem(query).isPresent(), query);
    }

    @Test
    void theConfigNamesTheKeyAndWhatIsAllowedWithoutRepeatingTheQuery() {
        Map<String, String> props = Map.of("connection.url", "jdbc:postgresql://db/w", "mode", "bulk",
                "topic.prefix", "t", "query", "SELECT 1; DROP TABLE secret_table");
        Executable create = () -> new JdbcSourceConnectorConfig(props);
        String message = assertThrows(ConfigException.class, create).getMessage();
        assertTrue(message.startsWith("query is refused: ';' separates statements"), message);
        assertTrue(message.contains("one read-only SELECT"), message);
        assertFalse(message.contains("secret_table"), message);
    }

    @Test
    void validateReportsTheRefusalOnQuery() {
        Map<String, String> props = Map.of("connection.url", "jdbc:postgresql://127.0.0.1:1/w", "mode", "bulk",
                "topic.prefix", "t", "query", "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x");
        List<ConfigValue> values = new JdbcSourceConnector().validate(props).configValues();
        ConfigValue query = values.stream().filter(v -> v.name().equals("query")).findFirst().orElseThrow();
        assertEquals(1, query.errorMessages().size(), query.errorMessages().toString());
        assertTrue(query.errorMessages().get(0).contains("DELETE writes data"), query.errorMessages().toString());
    }
}
