package dev.sluice.lake.iceberg;

import java.time.Clock;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Expires the snapshots of a table older than {@link IcebergMaintenanceSettings#snapshotMaxAge()} (keeping the
 * newest {@link IcebergMaintenanceSettings#minSnapshots()}), and with them the data and metadata files only they
 * referenced, such as the inputs of a compaction. Time travel reaches back as far as the oldest kept snapshot.
 */
public final class SnapshotRetention {

    /**
     * Summary keys under which Iceberg's Kafka Connect sink stores the control-topic offsets it has committed. Its
     * coordinator finds them by walking back from the current snapshot and stops at the first expired one, so the
     * newest snapshot carrying them is never expired: without it a restarted coordinator would not know which
     * announced files it has committed already.
     */
    static final String SINK_OFFSETS_PREFIX = "kafka.connect.offsets.";

    private final IcebergMaintenanceSettings settings;
    private final Clock clock;

    public SnapshotRetention(IcebergMaintenanceSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Expires what is due; returns how many snapshots went. */
    public int expire(Table table) {
        table.refresh();
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return 0;
        }
        long cutoff = Math.min(clock.millis() - settings.snapshotMaxAge().toMillis(), newestSinkCommit(table,
                current));
        int before = count(table);
        table.expireSnapshots().expireOlderThan(cutoff).retainLast(settings.minSnapshots()).cleanExpiredFiles(true)
                .commit();
        table.refresh();
        return before - count(table);
    }

    private static long newestSinkCommit(Table table, Snapshot current) {
        for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            if (snapshot.summary().keySet().stream().anyMatch(key -> key.startsWith(SINK_OFFSETS_PREFIX))) {
                return snapshot.timestampMillis();
            }
        }
        return Long.MAX_VALUE;
    }

    private static int count(Table table) {
        int snapshots = 0;
        for (Snapshot ignored : table.snapshots()) {
            snapshots++;
        }
        return snapshots;
    }
}
