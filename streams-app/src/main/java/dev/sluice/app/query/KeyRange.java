package dev.sluice.app.query;

import io.micronaut.core.annotation.Nullable;

/**
 * An inclusive range of keys of a store; either end may be open (null).
 *
 * @param from first key; null for the smallest
 * @param to   last key; null for the largest
 */
public record KeyRange(@Nullable Object from, @Nullable Object to) {

    /** The range of the request parameters {@code keyFrom} and {@code keyTo}; a 400 answer when unreadable. */
    public static KeyRange parse(@Nullable String from, @Nullable String to, KeyType type) {
        Object start = from == null || from.isEmpty() ? null : type.parse(from, "keyFrom");
        Object end = to == null || to.isEmpty() ? null : type.parse(to, "keyTo");
        if (start != null && end != null && type.compare(start, end) > 0) {
            throw QueryException.badRequest("keyFrom must not be after keyTo");
        }
        return new KeyRange(start, end);
    }

    /** Whether {@code key} is in the range. */
    boolean contains(Object key, KeyType type) {
        return (from == null || type.compare(key, from) >= 0) && (to == null || type.compare(key, to) <= 0);
    }

    /** Whether no key of the range comes after the cursor (a scan would have {@code from > to}). */
    boolean exhaustedAfter(@Nullable Cursor after, KeyType type) {
        return after != null && to != null && type.compare(after.key(), to) >= 0;
    }

    /** Where a scan starts: the later of {@code from} and the cursor's key (entries up to the cursor are skipped). */
    @Nullable
    Object startAfter(@Nullable Cursor after, KeyType type) {
        if (after == null) {
            return from;
        }
        return from == null || type.compare(after.key(), from) > 0 ? after.key() : from;
    }
}
