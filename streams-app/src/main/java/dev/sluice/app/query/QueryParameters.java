package dev.sluice.app.query;

import io.micronaut.core.annotation.Nullable;

/** Query-string numbers of the query API, read strictly: anything else is a 400 answer naming the parameter. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code text} as a number from 1 to {@code max}; {@code fallback} when absent. */
    static int number(@Nullable String text, String name, int fallback, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw QueryException.badRequest(name + " must be a number from 1 to " + max);
    }
}
