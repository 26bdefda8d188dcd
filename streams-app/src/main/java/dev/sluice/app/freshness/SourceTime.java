package dev.sluice.app.freshness;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.validate.FieldValues;

/**
 * When a bronze record's change or event happened at its source, where every freshness measurement starts: the
 * commit time Debezium reports ({@code __source_ts_ms}, {@code source.ts_ms} added by the unwrap transform), the
 * JDBC row's timestamp column ({@code updated_at}, the jdbc-source template's {@code timestamp.column.name}) or the
 * event time of an application event ({@code occurred_at}). Defined here, once per bronze entity.
 */
public final class SourceTime {

    private static final String DEBEZIUM_COMMIT = "__source_ts_ms";
    private static final Map<String, String> FIELD_BY_ENTITY = Map.of(
            "customers", DEBEZIUM_COMMIT,
            "products", DEBEZIUM_COMMIT,
            "orders", DEBEZIUM_COMMIT,
            "order_items", DEBEZIUM_COMMIT,
            "exchange_rates", "updated_at",
            "product_catalog", "updated_at",
            "user_events", "occurred_at");

    private final String field;

    private SourceTime(String field) {
        this.field = field;
    }

    /**
     * The source time of {@code entity}'s bronze records; any other entity (a dataset of a specification) has
     * Debezium's commit time, where its records carry it (CDC datasets), and none otherwise.
     */
    public static SourceTime of(String entity) {
        return new SourceTime(FIELD_BY_ENTITY.getOrDefault(entity, DEBEZIUM_COMMIT));
    }

    /**
     * Epoch milliseconds of {@code value}'s source time (an epoch-millisecond number, a timestamp logical type or an
     * ISO-8601 string); empty for a tombstone, a record without it, or one whose value is malformed (that is the
     * validation rules' business, not a reason to stop the record here).
     */
    public OptionalLong in(GenericRecord value) {
        if (field == null || value == null) {
            return OptionalLong.empty();
        }
        try {
            Instant time = FieldValues.timestamp(value, field);
            return time == null ? OptionalLong.empty() : OptionalLong.of(time.toEpochMilli());
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
