package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class JdbcSourceConnectorTest {

    private static Map<String, String> props(String tables) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "jdbc:postgresql://127.0.0.1:5432/warehouse");
        props.put("tables", tables);
        props.put("mode", "incrementing");
        props.put("incrementing.column.name", "id");
        props.put("topic.prefix", "bronze.warehouse.");
        return props;
    }

    private static List<Map<String, String>> taskConfigs(Map<String, String> props, int maxTasks) {
        JdbcSourceConnector connector = new JdbcSourceConnector();
        connector.start(props);
        return connector.taskConfigs(maxTasks);
    }

    @Test
    void oneTaskPerTableUpToTasksMax() {
        List<Map<String, String>> configs = taskConfigs(props("a,b,c,d,e"), 2);
        assertEquals(2, configs.size());
        List<String> assigned = new ArrayList<>();
        for (Map<String, String> config : configs) {
            assigned.addAll(List.of(config.get("task.tables").split(",")));
            assertEquals("bronze.warehouse.", config.get("topic.prefix"), "tasks get the connector's settings");
        }
        assertEquals(List.of("a", "b", "c", "d", "e"), assigned.stream().sorted().toList(), "each table once");

        List<Map<String, String>> fewTables = taskConfigs(props("public.a,b"), 8);
        assertEquals(2, fewTables.size());
        assertEquals("public.a", fewTables.get(0).get("task.tables"));
        assertEquals("b", fewTables.get(1).get("task.tables"));
    }

    @Test
    void aCustomQueryRunsInOneTask() {
        Map<String, String> props = props("");
        props.put("query", "SELECT * FROM exchange_rates");
        List<Map<String, String>> configs = taskConfigs(props, 4);
        assertEquals(1, configs.size());
        assertEquals("", configs.get(0).get("task.tables"));
        assertEquals(List.of(), new JdbcSourceTaskConfig(configs.get(0)).taskTables());
    }

    @Test
    void versionIsTheProjectVersion() {
        String version = new JdbcSourceConnector().version();
        assertNotEquals("unknown", version);
        assertFalse(version.contains("${"), version);
        assertEquals(version, new JdbcSourceTask().version());
    }

    @Test
    void exactlyOnceOnlyForTimestampIncrementingOnPostgres() {
        JdbcSourceConnector connector = new JdbcSourceConnector();
        String postgres = "jdbc:postgresql://db:5432/warehouse";
        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(
                Map.of("mode", "timestamp+incrementing", "connection.url", postgres)));
        assertEquals(ExactlyOnceSupport.UNSUPPORTED, connector.exactlyOnceSupport(
                Map.of("mode", "timestamp+incrementing", "connection.url", "jdbc:mysql://db:3306/warehouse")),
                "elsewhere a transaction open longer than the delay is missed");
        assertEquals(ExactlyOnceSupport.UNSUPPORTED, connector.exactlyOnceSupport(
                Map.of("mode", "incrementing", "connection.url", postgres)),
                "an id committed after a higher one was read is missed");
        assertEquals(ExactlyOnceSupport.UNSUPPORTED,
                connector.exactlyOnceSupport(Map.of("mode", "bulk", "connection.url", postgres)));
        assertEquals(ExactlyOnceSupport.UNSUPPORTED,
                connector.exactlyOnceSupport(Map.of("mode", "timestamp", "connection.url", postgres)));
        assertEquals(ExactlyOnceSupport.UNSUPPORTED, connector.exactlyOnceSupport(Map.of("mode", "timestamp+incrementing")));
    }

    @Test
    void alteredOffsetsMustBeReadable() {
        JdbcSourceConnector connector = new JdbcSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> good = new HashMap<>();
        good.put(Map.of("table", "public.orders"), Map.of("timestamp", "2026-11-21T10:00:00Z", "incrementing", 5L));
        good.put(Map.of("query", "bronze.q"), null);
        assertTrue(connector.alterOffsets(Map.of(), good));
        Map<Map<String, ?>, Map<String, ?>> badOffset = Map.of(Map.of("table", "t"), Map.of("incrementing", "x"));
        assertThrows(ConnectException.class, () -> connector.alterOffsets(Map.of(), badOffset));
        Map<Map<String, ?>, Map<String, ?>> badPartition = Map.of(Map.of("file", "t"), Map.of("incrementing", 1L));
        assertThrows(ConnectException.class, () -> connector.alterOffsets(Map.of(), badPartition));
    }
}
