package dev.sluice.connect.s3;

import dev.sluice.lake.PartitionPathFormatter;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decides where a record goes: its event time (from the configured field, else the Kafka record
 * timestamp) and its partition path (time segments plus the configured fields' values).
 */
final class RecordRouter {

    /** Where one record goes. */
    record Route(String partitionPath, long eventTimeMillis) {
    }

    private final String[] timestampField;
    private final List<String[]> partitionFields;
    private final PartitionPathFormatter formatter;

    RecordRouter(Optional<String> timestampField, List<String> partitionFields, PartitionPathFormatter formatter) {
        this.timestampField = timestampField.map(f -> f.split("\\.")).orElse(null);
        this.partitionFields = partitionFields.stream().map(f -> f.split("\\.")).toList();
        this.formatter = formatter;
    }

    /**
     * A tombstone (null value) has no fields: it goes by its Kafka timestamp, its partition fields null
     * ({@code __HIVE_DEFAULT_PARTITION__}).
     *
     * @throws DataException if the record has no usable event time or a partition value of an unusable type
     */
    Route route(SinkRecord record) {
        long eventTime = eventTime(record);
        List<String> values = new ArrayList<>(partitionFields.size());
        for (String[] field : partitionFields) {
            values.add(partitionValue(lookup(record, field), field));
        }
        return new Route(formatter.format(eventTime, values), eventTime);
    }

    private long eventTime(SinkRecord record) {
        if (timestampField != null) {
            Found found = lookup(record, timestampField);
            if (found != null) {
                return toEpochMillis(found, timestampField);
            }
        }
        if (record.timestamp() == null) {
            throw new DataException("No event time: " + (timestampField == null ? "the record has no timestamp"
                    : "field '" + String.join(".", timestampField) + "' is missing or null and the record has no "
                    + "timestamp"));
        }
        return record.timestamp();
    }

    private static long toEpochMillis(Found found, String[] path) {
        Object value = found.value();
        if (value instanceof java.util.Date date) {
            return date.getTime();
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                try {
                    return Instant.parse(text).toEpochMilli();
                } catch (DateTimeException again) {
                    throw new DataException("Event time field '" + String.join(".", path) + "' holds '" + text
                            + "', which is not an ISO-8601 date-time with offset");
                }
            }
        }
        throw new DataException("Event time field '" + String.join(".", path) + "' has type "
                + found.schema().type() + "; expected Timestamp, Date, int64 epoch millis or an ISO-8601 string");
    }

    private static String partitionValue(Found found, String[] path) {
        if (found == null) {
            return null;
        }
        Object value = found.value();
        String logical = found.schema().name();
        if (Date.LOGICAL_NAME.equals(logical)) {
            return LocalDate.ofEpochDay(Math.floorDiv(((java.util.Date) value).getTime(), 86_400_000L)).toString();
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return LocalTime.ofNanoOfDay(Math.floorMod(((java.util.Date) value).getTime(), 86_400_000L) * 1_000_000L)
                    .toString();
        }
        if (value instanceof java.util.Date date) {
            return DateTimeFormatter.ISO_INSTANT.format(date.toInstant());
        }
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return ((BigDecimal) value).toPlainString();
        }
        return switch (found.schema().type()) {
            case INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING -> value.toString();
            default -> throw new DataException("Partition field '" + String.join(".", path) + "' has type "
                    + found.schema().type() + ", which cannot name a partition");
        };
    }

    private record Found(Schema schema, Object value) {
    }

    /** The value at a dotted path of the record value, or null if any step is missing or null. */
    private static Found lookup(SinkRecord record, String[] path) {
        Object current = record.value();
        Schema schema = record.valueSchema();
        for (String name : path) {
            if (!(current instanceof Struct struct) || schema == null || schema.type() != Schema.Type.STRUCT) {
                return null;
            }
            Field field = schema.field(name);
            if (field == null) {
                return null;
            }
            current = struct.get(field);
            schema = field.schema();
            if (current == null) {
                return null;
            }
        }
        return new Found(schema, current);
    }
}
