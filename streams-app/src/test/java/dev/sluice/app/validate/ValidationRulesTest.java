package dev.sluice.app.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Parsing of the declarative rules (fail fast, naming the key) and the checks on records. */
class ValidationRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aTypoInTheRulesFailsNamingTheKey() {
        InvalidRulesException unknownCheck = assertThrows(InvalidRulesException.class, () -> ValidationRules.parse(
                Map.of("orders.fields.currency.alowed", List.of("EUR"))));
        assertTrue(unknownCheck.getMessage().startsWith("sluice.validation.orders.fields.currency.alowed"),
                unknownCheck.getMessage());
        InvalidRulesException badPattern = assertThrows(InvalidRulesException.class, () -> ValidationRules.parse(
                Map.of("orders.fields.currency.pattern", "[A-Z")));
        assertTrue(badPattern.getMessage().contains("orders.fields.currency.pattern"), badPattern.getMessage());
        InvalidRulesException badType = assertThrows(InvalidRulesException.class, () -> ValidationRules.parse(
                Map.of("orders.fields.id.type", "bigint")));
        assertTrue(badType.getMessage().contains("unknown type 'bigint'"), badType.getMessage());
        assertThrows(InvalidRulesException.class, () -> ValidationRules.parse(Map.of("orders.max-bytes", 1)));
        assertThrows(InvalidRulesException.class, () -> ValidationRules.parse(Map.of("orders.dedupe.key",
                List.of("id"))), "a dedupe key needs a window");
        assertThrows(IllegalStateException.class, () -> ValidationRules.parse(Map.of()).of("orders"));
    }

    @Test
    void theShippedRulesParse() {
        ValidationRules rules = dev.sluice.app.testing.TestConfig.rules();
        assertEquals(List.of("customers", "exchange_rates", "order_items", "orders", "product_catalog", "products",
                "user_events"), rules.all().stream().map(EntityRules::entity).sorted().toList());
        EntityRules events = rules.of("user_events");
        assertEquals(List.of("event_id"), events.dedupeKey());
        assertEquals(Duration.ofHours(24), events.dedupeWindow());
    }

    @Test
    void checksReportEveryBrokenRuleInOrder() {
        ValidationRules rules = ValidationRules.parse(Map.of(
                "t.fields.amount.type", "decimal",
                "t.fields.amount.min", "0",
                "t.fields.at.max-future", "5m",
                "t.fields.code.pattern", "^[A-Z]{3}$",
                "t.fields.code.required", "true"));
        Schema decimal = new Schema.Parser().parse(
                "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}");
        Schema schema = Schema.createRecord("T", null, "t", false);
        schema.setFields(List.of(new Schema.Field("amount", decimal), new Schema.Field("at",
                Schema.create(Schema.Type.STRING)), new Schema.Field("code", Schema.create(Schema.Type.STRING))));
        GenericRecord record = new GenericData.Record(schema);
        record.put("amount", ByteBuffer.wrap(new BigDecimal("-1.50").unscaledValue().toByteArray()));
        record.put("at", "2026-11-22T10:06:00.123456+00:00");
        record.put("code", "eu");
        List<Violation> violations = new RecordValidator(rules.of("t")).check("k", record, 10, NOW);
        assertEquals(List.of("t.amount.min", "t.at.max-future", "t.code.pattern"),
                violations.stream().map(Violation::rule).toList());
        record.put("amount", ByteBuffer.wrap(new BigDecimal("1.50").unscaledValue().toByteArray()));
        record.put("at", "2026-11-22T10:04:59Z");
        record.put("code", "EUR");
        assertEquals(List.of(), new RecordValidator(rules.of("t")).check("k", record, 10, NOW));
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "k"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d", "k"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT90M", "k"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon", "k"));
        assertTrue(e.getMessage().startsWith("k:"));
    }
}
