package dev.sluice.lake.compaction;

import dev.sluice.lake.ObjectKeyNamer;
import java.time.Duration;
import java.util.List;

/**
 * What the current-state snapshots do (docs/lake/current-state.md): for the changelog topics matching
 * {@code topics}, publish after every closed hour the latest row per key of everything up to that hour, under
 * {@link #locationOf(String) the prefix's {@code -current} sibling}.
 *
 * @param topics     topic globs ({@code gold.*}); empty publishes nothing
 * @param spec       the key and the delete marker of the changelog rows; delete markers are never kept, a deleted
 *                   key is absent from the snapshot
 * @param retention  snapshots whose hour ended longer ago than this are deleted, except the newest of them (the
 *                   one the next snapshot builds on)
 * @param maxKeys    the most keys one snapshot may hold in memory while it is built
 */
public record CurrentStateSettings(List<String> topics, SnapshotSpec spec, Duration retention, long maxKeys) {

    /** What is appended to a changelog prefix to name the prefix of its snapshots. */
    public static final String LOCATION_SUFFIX = "-current";
    /** The key column every row of a topic written with {@code behavior.on.null.values=delete} has. */
    public static final String KAFKA_KEY_FIELD = "__kafka_key";

    public CurrentStateSettings {
        topics = List.copyOf(topics);
        if (spec.keepDeleteMarkers()) {
            throw new IllegalArgumentException("current-state: a snapshot never keeps delete markers");
        }
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("current-state.retention must be at least one hour");
        }
        if (maxKeys <= 0) {
            throw new IllegalArgumentException("current-state.max-keys must be positive");
        }
    }

    /** Keyed by {@value #KAFKA_KEY_FIELD}, deletes marked by {@code __deleted}, kept 3 days, 5 million keys. */
    public static CurrentStateSettings of(List<String> topics) {
        return new CurrentStateSettings(topics, SnapshotSpec.of(List.of(KAFKA_KEY_FIELD)), Duration.ofDays(3),
                5_000_000);
    }

    /** The prefix the snapshots of the changelog prefix {@code prefix} are written under, e.g. {@code gold-current}. */
    public static String locationOf(String prefix) {
        String location = prefix + LOCATION_SUFFIX;
        ObjectKeyNamer.validatePrefix(location);
        return location;
    }
}
