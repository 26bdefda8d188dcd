package dev.sluice.lake.iceberg;

import java.time.Duration;
import java.util.Objects;

/**
 * What maintenance does to the lake's Iceberg tables. Every value is checked when built, with a message naming it.
 *
 * @param closedDelay      an hour partition is closed, and compacted, this long after its hour ends: the sink's
 *                         commit interval plus the latest record time it still expects for that hour
 * @param minInputFiles    a closed hour partition is rewritten only when it holds at least this many data files
 * @param targetFileBytes  outputs are cut when they reach this size
 * @param snapshotMaxAge   snapshots older than this are expired (time travel reaches back this far)
 * @param minSnapshots     the newest snapshots kept whatever their age
 * @param orphanMinAge     files under a table that no snapshot references are deleted when older than this; it must
 *                         exceed the sink's commit interval (files are written before they are committed) and the
 *                         longest compaction
 */
public record IcebergMaintenanceSettings(Duration closedDelay, int minInputFiles, long targetFileBytes,
                                         Duration snapshotMaxAge, int minSnapshots, Duration orphanMinAge) {

    /** Iceberg's own defaults for retention (five days of snapshots, orphans after three days), hourly compaction. */
    public static final IcebergMaintenanceSettings DEFAULTS = new IcebergMaintenanceSettings(Duration.ofMinutes(15),
            2, 128L << 20, Duration.ofDays(5), 1, Duration.ofDays(3));

    public IcebergMaintenanceSettings {
        Objects.requireNonNull(closedDelay, "closed-delay");
        Objects.requireNonNull(snapshotMaxAge, "snapshot-max-age");
        Objects.requireNonNull(orphanMinAge, "orphan-min-age");
        require(!closedDelay.isNegative(), "closed-delay", "must not be negative");
        require(minInputFiles >= 2, "min-input-files", "must be at least 2 (one file is already compact)");
        require(targetFileBytes >= 1024, "target-file-size", "must be at least 1 KiB");
        require(!snapshotMaxAge.isNegative(), "snapshot-max-age", "must not be negative");
        require(minSnapshots >= 1, "min-snapshots", "must be at least 1 (the current snapshot)");
        require(orphanMinAge.compareTo(Duration.ofMinutes(1)) >= 0, "orphan-min-age",
                "must be at least one minute: younger files may belong to a commit in progress");
    }

    private static void require(boolean ok, String name, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + problem);
        }
    }
}
