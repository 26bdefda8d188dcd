package dev.sluice.lake.iceberg;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One maintenance pass over the lake's Iceberg tables, table by table: retention of whole hours by zone first (when
 * given), then compaction of closed hours, then snapshot expiry (which deletes the compacted inputs and the retired
 * hours' files once their snapshots are old enough), then orphan removal.
 * Every step is an Iceberg commit or a deletion of unreferenced files, so a pass that stops halfway leaves every
 * table readable and the next pass continues.
 */
public final class IcebergMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenance.class);

    private final Catalog catalog;
    private final PartitionRetention hours;
    private final IcebergCompactor compactor;
    private final SnapshotRetention retention;
    private final OrphanFiles orphans;

    public IcebergMaintenance(Catalog catalog, IcebergMaintenanceSettings settings, Clock clock) {
        this(catalog, settings, null, clock);
    }

    /** @param hours retention of whole hours by zone; null keeps every hour */
    public IcebergMaintenance(Catalog catalog, IcebergMaintenanceSettings settings, PartitionRetention hours,
            Clock clock) {
        this.catalog = catalog;
        this.hours = hours;
        this.compactor = new IcebergCompactor(settings, clock);
        this.retention = new SnapshotRetention(settings, clock);
        this.orphans = new OrphanFiles(settings, clock);
    }

    /**
     * What a pass did to one table.
     *
     * @param retiredFiles data files of hours past their zone's retention, removed from the table
     */
    public record TableReport(String table, int retiredFiles, IcebergCompactor.Outcome compaction,
                              int snapshotsExpired, int orphansDeleted) {
    }

    /** Maintains every table of the catalog, in every namespace. */
    public List<TableReport> run() {
        return run(Namespace.empty());
    }

    /** Maintains every table in {@code namespace} and the namespaces below it. */
    public List<TableReport> run(Namespace namespace) {
        List<TableReport> reports = new ArrayList<>();
        for (TableIdentifier id : CatalogTables.under(catalog, namespace)) {
            reports.add(run(id));
        }
        return reports;
    }

    public TableReport run(TableIdentifier id) {
        Table table = catalog.loadTable(id);
        int retired = hours == null ? 0 : hours.expire(table, id.toString());
        IcebergCompactor.Outcome compaction = compactor.compact(table);
        int expired = retention.expire(table);
        int deleted = orphans.remove(table);
        TableReport report = new TableReport(id.toString(), retired, compaction, expired, deleted);
        if (retired + compaction.partitionsCompacted() + compaction.conflicts() + expired + deleted > 0) {
            LOG.info("iceberg maintenance table={} retired_files={} partitions_compacted={} files_rewritten={}"
                    + " files_written={} conflicts={} snapshots_expired={} orphans_deleted={}", id, retired,
                    compaction.partitionsCompacted(), compaction.filesRewritten(), compaction.filesWritten(),
                    compaction.conflicts(), expired, deleted);
        }
        return report;
    }
}
