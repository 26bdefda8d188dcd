package dev.sluice.app.aggregate;

import java.time.Instant;

/** Keys of gold topic records: the aggregate's key, and for windowed aggregates the window start. */
public final class GoldKeys {

    private GoldKeys() {
    }

    /** {@code <key>@<window start ISO-8601>}, e.g. {@code 7@2026-11-22T10:00:00Z}. */
    public static String windowed(Object key, long windowStartMs) {
        return key + "@" + Instant.ofEpochMilli(windowStartMs);
    }
}
