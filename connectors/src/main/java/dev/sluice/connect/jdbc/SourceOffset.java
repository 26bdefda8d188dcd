package dev.sluice.connect.jdbc;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The position of a source in its table or query: the timestamp and the incrementing id of the last row
 * delivered. Either part is absent when the mode does not use it, and both are absent before the first row.
 *
 * <p>The timestamp keeps the database's full precision (nanoseconds), not the millisecond precision of the
 * record value, so the next query continues exactly after the last row.
 */
public final class SourceOffset implements Comparable<SourceOffset> {

    /** Offset key holding the last timestamp as an ISO-8601 instant. */
    public static final String TIMESTAMP_KEY = "timestamp";
    /** Offset key holding the last incrementing id as a number. */
    public static final String INCREMENTING_KEY = "incrementing";

    private static final SourceOffset START = new SourceOffset(null, null);
    private static final Comparator<SourceOffset> ORDER = Comparator
            .comparing(SourceOffset::timestamp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SourceOffset::incrementing, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Instant timestamp;
    private final Long incrementing;

    private SourceOffset(Instant timestamp, Long incrementing) {
        this.timestamp = timestamp;
        this.incrementing = incrementing;
    }

    /** The position before any row. */
    public static SourceOffset start() {
        return START;
    }

    public static SourceOffset of(Instant timestamp, Long incrementing) {
        return timestamp == null && incrementing == null ? START : new SourceOffset(timestamp, incrementing);
    }

    /**
     * Reads an offset as Connect stored it; {@code null} (nothing committed yet) is the start.
     *
     * @throws IllegalArgumentException if the map does not hold a well-formed offset
     */
    public static SourceOffset fromMap(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return START;
        }
        Object ts = map.get(TIMESTAMP_KEY);
        Object id = map.get(INCREMENTING_KEY);
        Instant timestamp;
        if (ts == null) {
            timestamp = null;
        } else if (ts instanceof String text) {
            try {
                timestamp = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("offset key '" + TIMESTAMP_KEY
                        + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00.123456Z, got '" + text + "'");
            }
        } else {
            throw new IllegalArgumentException("offset key '" + TIMESTAMP_KEY + "' must be a string, got " + ts);
        }
        Long incrementing;
        if (id == null) {
            incrementing = null;
        } else if (id instanceof Number n && !(id instanceof Double) && !(id instanceof Float)) {
            incrementing = n.longValue();
        } else {
            throw new IllegalArgumentException("offset key '" + INCREMENTING_KEY + "' must be an integer, got " + id);
        }
        for (String key : map.keySet()) {
            if (!TIMESTAMP_KEY.equals(key) && !INCREMENTING_KEY.equals(key)) {
                throw new IllegalArgumentException("unknown offset key '" + key + "'; expected '" + TIMESTAMP_KEY
                        + "' and/or '" + INCREMENTING_KEY + "'");
            }
        }
        return of(timestamp, incrementing);
    }

    /** The map Connect stores; only the parts that are present. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>(2);
        if (timestamp != null) {
            map.put(TIMESTAMP_KEY, timestamp.toString());
        }
        if (incrementing != null) {
            map.put(INCREMENTING_KEY, incrementing);
        }
        return map;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public Long incrementing() {
        return incrementing;
    }

    public boolean isStart() {
        return timestamp == null && incrementing == null;
    }

    /**
     * Orders offsets the way the incremental queries order rows: by timestamp, then by id; an absent part
     * sorts before any value.
     */
    @Override
    public int compareTo(SourceOffset other) {
        return ORDER.compare(this, other);
    }

    public boolean isAfter(SourceOffset other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceOffset other
                && Objects.equals(timestamp, other.timestamp)
                && Objects.equals(incrementing, other.incrementing);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, incrementing);
    }

    @Override
    public String toString() {
        return isStart() ? "start" : toMap().toString();
    }
}
