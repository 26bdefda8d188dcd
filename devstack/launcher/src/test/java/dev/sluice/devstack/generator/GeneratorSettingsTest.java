package dev.sluice.devstack.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GeneratorSettingsTest {

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_GEN_JDBC_URL", "jdbc:postgresql://postgres:5432/shop");
        env.put("SLUICE_GEN_JDBC_USER", "sluice");
        env.put("SLUICE_GEN_JDBC_PASSWORD", "s3cret-pw");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("SLUICE_REGISTRY_URL", "http://registry:8080/apis/registry/v2");
        return env;
    }

    @Test
    void requiredVariablesWithDefaultsForTheRest() {
        GeneratorSettings settings = GeneratorSettings.fromEnvironment(required());
        assertEquals("jdbc:postgresql://postgres:5432/shop", settings.jdbcUrl());
        assertEquals("sluice", settings.jdbcUser());
        assertEquals("s3cret-pw", settings.jdbcPassword());
        assertEquals("kafka:9092", settings.bootstrapServers());
        assertEquals("http://registry:8080/apis/registry/v2", settings.registryUrl());
        assertEquals("bronze.events.user_events", settings.topic());
        assertEquals(3, settings.topicPartitions());
        assertEquals(5.0, settings.shopOpsPerSecond());
        assertEquals(20.0, settings.eventsPerSecond());
        assertEquals(0.02, settings.badRatio());
        assertEquals("", settings.heartbeatFile());
    }

    @Test
    void everyOptionalVariableIsRead() {
        Map<String, String> env = required();
        env.put("SLUICE_GEN_TOPIC", "bronze.events.other");
        env.put("SLUICE_GEN_TOPIC_PARTITIONS", "6");
        env.put("SLUICE_GEN_SHOP_OPS_PER_SECOND", "0.5");
        env.put("SLUICE_GEN_EVENTS_PER_SECOND", "100");
        env.put("SLUICE_GEN_BAD_RATIO", "0");
        env.put("SLUICE_GEN_HEARTBEAT_FILE", "/tmp/alive");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "k1:9092, k2:9092");
        GeneratorSettings settings = GeneratorSettings.fromEnvironment(env);
        assertEquals("bronze.events.other", settings.topic());
        assertEquals(6, settings.topicPartitions());
        assertEquals(0.5, settings.shopOpsPerSecond());
        assertEquals(100.0, settings.eventsPerSecond());
        assertEquals(0.0, settings.badRatio());
        assertEquals("/tmp/alive", settings.heartbeatFile());
        assertEquals("k1:9092, k2:9092", settings.bootstrapServers());
    }

    @Test
    void eachMissingRequiredVariableIsNamed() {
        for (String name : new String[] {"SLUICE_GEN_JDBC_URL", "SLUICE_GEN_JDBC_USER", "SLUICE_GEN_JDBC_PASSWORD",
                "KAFKA_BOOTSTRAP_SERVERS", "SLUICE_REGISTRY_URL"}) {
            Map<String, String> env = required();
            env.remove(name);
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> GeneratorSettings.fromEnvironment(env), name);
            assertTrue(missing.getMessage().startsWith(name + " is not set"), missing.getMessage());
            env.put(name, "  ");
            IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                    () -> GeneratorSettings.fromEnvironment(env), name);
            assertTrue(blank.getMessage().startsWith(name + " is not set"), blank.getMessage());
        }
    }

    @Test
    void malformedValuesAreRejectedNamingTheVariable() {
        Map<String, String[]> cases = Map.of(
                "SLUICE_GEN_JDBC_URL", new String[] {"postgres:5432/shop", "jdbc:mysql://db/shop"},
                "KAFKA_BOOTSTRAP_SERVERS", new String[] {"kafka", "kafka:9092,", "kafka:port"},
                "SLUICE_REGISTRY_URL", new String[] {"registry:8080", "ftp://registry/x", "http://"},
                "SLUICE_GEN_TOPIC", new String[] {"a topic", "x/y"},
                "SLUICE_GEN_TOPIC_PARTITIONS", new String[] {"0", "2.5", "-1", "many"},
                "SLUICE_GEN_SHOP_OPS_PER_SECOND", new String[] {"-1", "fast", "NaN", "Infinity"},
                "SLUICE_GEN_EVENTS_PER_SECOND", new String[] {"-0.1", "1e999"},
                "SLUICE_GEN_BAD_RATIO", new String[] {"1.5", "-0.1", "half"});
        cases.forEach((name, values) -> {
            for (String value : values) {
                Map<String, String> env = required();
                env.put(name, value);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> GeneratorSettings.fromEnvironment(env), name + "=" + value);
                assertTrue(e.getMessage().startsWith(name + " "), e.getMessage());
            }
        });
    }

    @Test
    void thePasswordIsNeverShown() {
        Map<String, String> env = required();
        env.put("SLUICE_GEN_JDBC_URL", "jdbc:postgresql://postgres/shop?password=url-pw&ssl=true");
        GeneratorSettings settings = GeneratorSettings.fromEnvironment(env);
        assertFalse(settings.toString().contains("s3cret-pw"), settings.toString());
        assertFalse(settings.toString().contains("url-pw"), settings.toString());
        assertTrue(settings.toString().contains("jdbc:postgresql://postgres/shop?..."), settings.toString());
        env.put("SLUICE_GEN_JDBC_URL", "mysql://x?password=url-pw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorSettings.fromEnvironment(env));
        assertFalse(e.getMessage().contains("url-pw"), e.getMessage());
    }

    @Test
    void everyVariableIsListedWithItsMeaning() {
        assertEquals(java.util.List.of("SLUICE_GEN_JDBC_URL", "SLUICE_GEN_JDBC_USER", "SLUICE_GEN_JDBC_PASSWORD",
                "KAFKA_BOOTSTRAP_SERVERS", "SLUICE_REGISTRY_URL", "SLUICE_GEN_TOPIC", "SLUICE_GEN_TOPIC_PARTITIONS",
                "SLUICE_GEN_SHOP_OPS_PER_SECOND", "SLUICE_GEN_EVENTS_PER_SECOND", "SLUICE_GEN_BAD_RATIO",
                "SLUICE_GEN_HEARTBEAT_FILE"), GeneratorSettings.VARIABLES.stream().map(GeneratorSettings.Variable::name)
                .toList());
        GeneratorSettings.VARIABLES.forEach(variable -> assertFalse(variable.doc().isBlank(), variable.name()));
    }
}
