package dev.sluice.app.validate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.avro.generic.GenericRecord;

/** Checks a decoded record against the {@link EntityRules} of its entity. Pure: no Kafka, no clock of its own. */
public final class RecordValidator {

    private final EntityRules rules;

    public RecordValidator(EntityRules rules) {
        this.rules = rules;
    }

    /**
     * Every rule the record breaks, in configuration order; empty when it is valid.
     *
     * @param key the decoded key (Avro record or string)
     * @param value the decoded value, null for a tombstone
     * @param valueBytes size of the raw value
     * @param now the processing time, for {@code max-future}
     */
    public List<Violation> check(Object key, GenericRecord value, int valueBytes, Instant now) {
        String entity = rules.entity();
        List<Violation> violations = new ArrayList<>();
        if (rules.maxRecordBytes() > 0 && valueBytes > rules.maxRecordBytes()) {
            violations.add(new Violation(entity + ".max-record-bytes", "the value has " + valueBytes
                    + " bytes, more than " + rules.maxRecordBytes()));
            return violations;
        }
        if (value == null) {
            if (!rules.acceptTombstones()) {
                violations.add(new Violation(entity + ".tombstone", "a null value (tombstone) is not a valid "
                        + entity + " record"));
            }
            return violations;
        }
        for (FieldRule rule : rules.fields()) {
            check(rule, key, value, now, violations);
        }
        return violations;
    }

    private void check(FieldRule rule, Object key, GenericRecord record, Instant now, List<Violation> out) {
        String id = rules.entity() + "." + rule.field() + ".";
        String field = rule.field();
        Object value = FieldValues.get(record, field);
        if (value == null) {
            if (rule.required()) {
                out.add(new Violation(id + "required", field + " is missing or null"));
            }
            return;
        }
        if (rule.type() != null && !hasType(record, field, rule.type())) {
            out.add(new Violation(id + "type", field + " is not of type " + rule.type().name().toLowerCase()));
            return;
        }
        if (rule.min() != null || rule.max() != null) {
            BigDecimal number = number(record, field);
            if (number == null) {
                out.add(new Violation(id + "type", field + " is not a number"));
                return;
            }
            if (rule.min() != null && number.compareTo(rule.min()) < 0) {
                out.add(new Violation(id + "min", field + " is below the minimum " + rule.min().toPlainString()));
            }
            if (rule.max() != null && number.compareTo(rule.max()) > 0) {
                out.add(new Violation(id + "max", field + " is above the maximum " + rule.max().toPlainString()));
            }
        }
        String text = value.toString();
        if (rule.minLength() != null && text.length() < rule.minLength()) {
            out.add(new Violation(id + "min-length", field + " has fewer than " + rule.minLength() + " characters"));
        }
        if (rule.maxLength() != null && text.length() > rule.maxLength()) {
            out.add(new Violation(id + "max-length", field + " has more than " + rule.maxLength() + " characters"));
        }
        if (rule.pattern() != null && !rule.pattern().matcher(text).matches()) {
            out.add(new Violation(id + "pattern", field + " does not match " + rule.pattern().pattern()));
        }
        if (rule.allowed() != null && !rule.allowed().contains(text)) {
            out.add(new Violation(id + "allowed", field + " is not one of " + rule.allowed()));
        }
        if (rule.maxFuture() != null || rule.notBefore() != null) {
            Instant time = timestamp(record, field);
            if (time == null) {
                out.add(new Violation(id + "type", field + " is not a timestamp"));
                return;
            }
            if (rule.maxFuture() != null && time.isAfter(now.plus(rule.maxFuture()))) {
                out.add(new Violation(id + "max-future", field + " " + time + " is more than " + rule.maxFuture()
                        + " ahead of " + now));
            }
            if (rule.notBefore() != null && time.isBefore(rule.notBefore())) {
                out.add(new Violation(id + "not-before", field + " " + time + " is before " + rule.notBefore()));
            }
        }
        if (rule.matchesKey() && !Objects.equals(text, keyValue(key, field))) {
            out.add(new Violation(id + "matches-key", field + " differs from the record key"));
        }
    }

    private static String keyValue(Object key, String field) {
        if (key instanceof GenericRecord record) {
            Object value = FieldValues.get(record, field);
            return value == null ? null : value.toString();
        }
        return key == null ? null : key.toString();
    }

    private static boolean hasType(GenericRecord record, String field, FieldType type) {
        Object value = FieldValues.get(record, field);
        return switch (type) {
            case STRING -> value instanceof CharSequence;
            case INT -> value instanceof Integer;
            case LONG -> value instanceof Long || value instanceof Integer;
            case DOUBLE -> value instanceof Double || value instanceof Float;
            case BOOLEAN -> value instanceof Boolean || "true".equals(value.toString())
                    || "false".equals(value.toString());
            case DECIMAL -> number(record, field) != null;
            case TIMESTAMP -> timestamp(record, field) != null;
        };
    }

    private static BigDecimal number(GenericRecord record, String field) {
        Object value = FieldValues.get(record, field);
        if (value instanceof Long || value instanceof Integer) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        try {
            return FieldValues.decimal(record, field);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant timestamp(GenericRecord record, String field) {
        try {
            return FieldValues.timestamp(record, field);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
