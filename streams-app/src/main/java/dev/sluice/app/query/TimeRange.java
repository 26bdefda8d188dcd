package dev.sluice.app.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.micronaut.core.annotation.Nullable;

/**
 * A half-open time range [from, to) of a query, epoch milliseconds; either end may be open.
 *
 * @param from first millisecond; 0 when open (gold holds no event before 1970)
 * @param to   first millisecond after the range; {@link Long#MAX_VALUE} when open
 */
public record TimeRange(long from, long to) {

    /** Everything the stores hold. */
    public static final TimeRange ALL = new TimeRange(0, Long.MAX_VALUE);

    /**
     * The range of the request parameters {@code from} and {@code to} (ISO-8601 instants, e.g.
     * {@code 2026-11-22T10:00:00Z}); a 400 answer when they cannot be read or {@code from} is not before {@code to}.
     */
    public static TimeRange parse(@Nullable String from, @Nullable String to) {
        long start = from == null || from.isBlank() ? 0 : instant(from, "from");
        long end = to == null || to.isBlank() ? Long.MAX_VALUE : instant(to, "to");
        if (start >= end) {
            throw QueryException.badRequest("from must be before to");
        }
        return new TimeRange(start, end);
    }

    /** The last millisecond inside the range (Kafka Streams' time bounds are inclusive). */
    public long last() {
        return to - 1;
    }

    /** {@code from} as ISO-8601; null when open. */
    @Nullable
    public String fromText() {
        return from == 0 ? null : Instant.ofEpochMilli(from).toString();
    }

    /** {@code to} as ISO-8601; null when open. */
    @Nullable
    public String toText() {
        return to == Long.MAX_VALUE ? null : Instant.ofEpochMilli(to).toString();
    }

    static long instant(String text, String name) {
        try {
            long millis = Instant.parse(text.strip()).toEpochMilli();
            if (millis < 0) {
                throw QueryException.badRequest(name + " must not be before 1970");
            }
            return millis;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw QueryException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-22T10:00:00Z, not '"
                    + Text.quote(text) + "'");
        }
    }
}
