package dev.sluice.app.compaction;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.sluice.lake.iceberg.IcebergCompactor;
import dev.sluice.lake.iceberg.IcebergMaintenance;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The last maintenance passes of the Iceberg tables, newest first, as many as compaction remembers of its runs
 * ({@code sluice.compaction.history-size}); each finished pass is also counted in {@link IcebergMaintenanceMetrics}.
 */
@Singleton
@Requires(property = "sluice.iceberg-maintenance.enabled", value = "true")
public class IcebergMaintenancePasses {

    private final IcebergMaintenanceMetrics metrics;
    private final int historySize;
    private final Deque<IcebergMaintenancePass> history = new ArrayDeque<>();
    private long lastId;

    public IcebergMaintenancePasses(IcebergMaintenanceMetrics metrics, CompactionConfiguration configuration) {
        this.metrics = metrics;
        this.historySize = Math.max(1, configuration.getHistorySize());
    }

    synchronized IcebergMaintenancePass succeeded(Instant startedAt, Instant finishedAt,
            List<IcebergMaintenance.TableReport> reports) {
        int retired = 0;
        int partitions = 0;
        int rewritten = 0;
        int written = 0;
        int conflicts = 0;
        int expired = 0;
        int orphans = 0;
        for (IcebergMaintenance.TableReport report : reports) {
            IcebergCompactor.Outcome compaction = report.compaction();
            retired += report.retiredFiles();
            partitions += compaction.partitionsCompacted();
            rewritten += compaction.filesRewritten();
            written += compaction.filesWritten();
            conflicts += compaction.conflicts();
            expired += report.snapshotsExpired();
            orphans += report.orphansDeleted();
        }
        return remember(new IcebergMaintenancePass(++lastId, startedAt, finishedAt,
                IcebergMaintenancePass.Status.SUCCEEDED, reports.size(), retired, partitions, rewritten, written,
                conflicts, expired, orphans, null));
    }

    synchronized IcebergMaintenancePass failed(Instant startedAt, Instant finishedAt, String error) {
        return remember(new IcebergMaintenancePass(++lastId, startedAt, finishedAt,
                IcebergMaintenancePass.Status.FAILED, 0, 0, 0, 0, 0, 0, 0, 0, error));
    }

    private IcebergMaintenancePass remember(IcebergMaintenancePass pass) {
        history.addFirst(pass);
        while (history.size() > historySize) {
            history.removeLast();
        }
        metrics.record(pass);
        return pass;
    }

    /** The last passes, newest first. */
    public synchronized List<IcebergMaintenancePass> history(int limit) {
        return new ArrayList<>(history).subList(0, Math.min(limit, history.size()));
    }
}
