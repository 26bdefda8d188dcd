package dev.sluice.app.query;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;

/**
 * The query parameters of a paged listing over a key range and a time range, as the listing endpoints take them
 * ({@code @RequestBean}), and read into ranges, limit and cursor; a 400 answer for any that cannot be read.
 *
 * @param keyFrom first key of the range
 * @param keyTo   last key of the range
 * @param from    start of the time range
 * @param to      end of the time range
 * @param limit   entries per page
 * @param cursor  the next cursor of the previous page
 */
@Introspected
public record PageRequest(
        @Parameter(description = PageRequest.KEY_FROM) @Nullable @QueryValue String keyFrom,
        @Parameter(description = PageRequest.KEY_TO) @Nullable @QueryValue String keyTo,
        @Parameter(description = PageRequest.FROM) @Nullable @QueryValue String from,
        @Parameter(description = PageRequest.TO) @Nullable @QueryValue String to,
        @Parameter(description = PageRequest.LIMIT) @Nullable @QueryValue String limit,
        @Parameter(description = PageRequest.CURSOR) @Nullable @QueryValue String cursor) {

    static final String FROM = "start of the time range, ISO-8601 (e.g. 2026-11-22T10:00:00Z); open when absent";
    static final String TO = "end of the time range (exclusive), ISO-8601; open when absent";
    static final String KEY_FROM = "first key of the range (inclusive); open when absent";
    static final String KEY_TO = "last key of the range (inclusive); open when absent";
    static final String LIMIT = "entries per page (default 100, at most 1000)";
    static final String CURSOR = "the next cursor of the previous page";

    /** The parameters of a listing over a key range only (no time range). */
    static PageRequest ofKeys(@Nullable String keyFrom, @Nullable String keyTo, @Nullable String limit,
            @Nullable String cursor) {
        return new PageRequest(keyFrom, keyTo, null, null, limit, cursor);
    }

    KeyRange keys(KeyType type) {
        return KeyRange.parse(keyFrom, keyTo, type);
    }

    TimeRange range() {
        return TimeRange.parse(from, to);
    }

    /** Entries per page: the configured default when absent, at most the configured maximum. */
    int limit(QueryConfiguration configuration) {
        return QueryParameters.number(limit, "limit", configuration.getDefaultLimit(), configuration.getMaxLimit());
    }

    /** Where the page starts; null for the first page. */
    @Nullable
    Cursor after(KeyType type) {
        return cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor, type);
    }
}
