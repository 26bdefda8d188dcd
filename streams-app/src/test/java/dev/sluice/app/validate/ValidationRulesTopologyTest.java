package dev.sluice.app.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.sluice.app.dlq.DeadLetterHeaders;
import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Out;
import dev.sluice.app.testing.PipelineDriver;
import dev.sluice.app.testing.Rows;
import dev.sluice.app.testing.TestConfig;

/**
 * Every rule of the shipped application.yml, through the topology: for each configured check of each field, a valid
 * record broken in exactly that respect lands in dlq.validate naming the rule, with its original bytes; the valid
 * record of each entity passes. The cases are derived from the configuration, so a rule added there is tested here
 * without writing a test.
 */
class ValidationRulesTopologyTest {

    private static PipelineDriver pipeline;

    @BeforeAll
    static void start() {
        pipeline = PipelineDriver.start();
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void theValidRecordOfEveryEntityPasses() {
        for (EntityRules rules : TestConfig.rules().all()) {
            String entity = rules.entity();
            Map<String, Object> row = validRow(entity);
            pipeline.row(entity, pipeline.entity(entity).valueSchema(), row, key(entity, row));
            assertEquals(List.of(), pipeline.deadLetters(Stage.VALIDATE), entity + " valid row rejected");
            assertEquals(List.of(), pipeline.deadLetters(Stage.DESERIALIZE), entity);
        }
    }

    @TestFactory
    List<DynamicTest> everyConfiguredCheckRejectsWhatItShould() {
        List<DynamicTest> tests = new ArrayList<>();
        for (EntityRules rules : TestConfig.rules().all()) {
            String entity = rules.entity();
            if (rules.maxRecordBytes() > 0) {
                tests.add(DynamicTest.dynamicTest(entity + ".max-record-bytes", () -> {
                    Map<String, Object> row = validRow(entity);
                    String field = firstStringField(entity);
                    row.put(field, "x".repeat(rules.maxRecordBytes()));
                    expectRejected(entity, pipeline.entity(entity).valueSchema(), row, entity + ".max-record-bytes");
                }));
            }
            if (!rules.acceptTombstones()) {
                tests.add(DynamicTest.dynamicTest(entity + ".tombstone", () -> {
                    Map<String, Object> row = validRow(entity);
                    PipelineDriver.Entity e = pipeline.entity(entity);
                    pipeline.send(e.topic(), String.valueOf(key(entity, row)[0]).getBytes(), null);
                    assertRejected(entity + ".tombstone", null);
                }));
            }
            for (FieldRule rule : rules.fields()) {
                for (Case c : cases(rule)) {
                    String id = entity + "." + rule.field() + "." + c.check();
                    tests.add(DynamicTest.dynamicTest(id, () -> {
                        Map<String, Object> row = validRow(entity);
                        Object[] key = key(entity, row);
                        row.put(rule.field(), c.value());
                        Schema schema = c.type() == null ? pipeline.entity(entity).valueSchema()
                                : BronzeSchemas.withFieldType(pipeline.entity(entity).valueSchema(), rule.field(),
                                        c.type());
                        if (c.check().equals("matches-key")) {
                            key = new Object[] {"somebody-else"};
                        }
                        pipeline.row(entity, schema, row, key);
                        assertRejected(id, null);
                    }));
                }
            }
        }
        return tests;
    }

    /** A record is rejected by the rule, with its bytes and the validation headers. */
    private static void expectRejected(String entity, Schema schema, Map<String, Object> row, String rule) {
        pipeline.row(entity, schema, row, key(entity, row));
        assertRejected(rule, null);
    }

    private static void assertRejected(String rule, byte[] value) {
        List<Out<byte[], byte[]>> rejected = pipeline.deadLetters(Stage.VALIDATE);
        assertEquals(1, rejected.size(), rule + ": one dead letter");
        Out<byte[], byte[]> dead = rejected.get(0);
        assertEquals(ErrorCode.VALIDATION_FAILED.name(), dead.header(DeadLetterHeaders.ERROR_CODE));
        assertEquals("validate", dead.header(DeadLetterHeaders.STAGE));
        String first = dead.header(DeadLetterHeaders.ERROR_RULE);
        String message = dead.header(DeadLetterHeaders.ERROR_MESSAGE);
        assertTrue(rule.equals(first) || message.contains(rule + ":"), rule + " not among the broken rules: " + message);
        if (value != null) {
            assertEquals(new String(value), new String(dead.value()));
        }
        assertTrue(pipeline.metrics().sum(PipelineMetrics.INVALID, "rule", first) >= 1, "counted by rule " + first);
        assertFalse(message.isEmpty());
    }

    /** A value that breaks {@code check} and nothing the check does not cover; {@code type} a schema override. */
    private record Case(String check, Object value, Schema type) {
    }

    private static List<Case> cases(FieldRule rule) {
        List<Case> cases = new ArrayList<>();
        if (rule.required()) {
            cases.add(new Case("required", null, null));
        }
        if (rule.type() != null) {
            cases.add(switch (rule.type()) {
                case STRING -> new Case("type", 42L, Schema.create(Schema.Type.LONG));
                default -> new Case("type", "not-a-" + rule.type().name().toLowerCase(), Schema.create(Schema.Type.STRING));
            });
        }
        if (rule.min() != null) {
            cases.add(new Case("min", number(rule, rule.min().subtract(BigDecimal.ONE)), null));
        }
        if (rule.max() != null) {
            cases.add(new Case("max", number(rule, rule.max().add(BigDecimal.ONE)), null));
        }
        if (rule.minLength() != null) {
            cases.add(new Case("min-length", "", null));
        }
        if (rule.maxLength() != null) {
            cases.add(new Case("max-length", "a".repeat(rule.maxLength() + 1), null));
        }
        if (rule.pattern() != null) {
            cases.add(new Case("pattern", "bad\u0007value", null));
        }
        if (rule.allowed() != null) {
            cases.add(new Case("allowed", "NOT-ALLOWED", null));
        }
        if (rule.maxFuture() != null) {
            cases.add(new Case("max-future", PipelineDriver.NOW.plus(rule.maxFuture()).plus(Duration.ofHours(1)), null));
        }
        if (rule.notBefore() != null) {
            cases.add(new Case("not-before", rule.notBefore().minus(Duration.ofDays(1)), null));
        }
        if (rule.matchesKey()) {
            cases.add(new Case("matches-key", "user-1", null));
        }
        return cases;
    }

    private static Object number(FieldRule rule, BigDecimal value) {
        if (rule.type() == FieldType.INT) {
            return value.intValueExact();
        }
        if (rule.type() == FieldType.LONG) {
            return value.longValueExact();
        }
        return value;
    }

    private static Map<String, Object> validRow(String entity) {
        return new LinkedHashMap<>(switch (entity) {
            case "customers" -> Rows.customer(1);
            case "products" -> Rows.product(1, "10.00", "EUR");
            case "orders" -> Rows.order(1, 1, "EUR", "10.00", PipelineDriver.NOW.minusSeconds(60));
            case "order_items" -> Rows.item(1, 1, 1, 1, "10.00");
            case "exchange_rates" -> Rows.rate(1, "USD", "0.92", PipelineDriver.NOW.minusSeconds(3600));
            case "product_catalog" -> Rows.catalog(1);
            case "user_events" -> Rows.userEvent("user-1", "page_view", PipelineDriver.NOW.minusSeconds(10));
            default -> throw new IllegalArgumentException("no valid row for " + entity);
        });
    }

    private static Object[] key(String entity, Map<String, Object> row) {
        if (entity.equals("user_events")) {
            return new Object[] {row.get("user_id")};
        }
        return pipeline.entity(entity).keyFields().stream().map(row::get).toArray();
    }

    /** Any string field will do: the size limit is checked before any field rule. */
    private static String firstStringField(String entity) {
        for (Schema.Field field : pipeline.entity(entity).valueSchema().getFields()) {
            if (field.schema().toString().contains("\"string\"")) {
                return field.name();
            }
        }
        throw new IllegalStateException("no string field in " + entity);
    }
}
