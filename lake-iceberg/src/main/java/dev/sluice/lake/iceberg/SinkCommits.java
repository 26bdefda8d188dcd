package dev.sluice.lake.iceberg;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

/**
 * What the sink published to the lake's Iceberg tables, read from their snapshots: the lake layer of the pipeline's
 * status, as the Parquet sinks' commit marks are for the Parquet lake. A sink commit is a snapshot that adds data
 * files and is not a rewrite (compaction's {@code replace} adds files too, but no new rows) nor a delete. Only
 * snapshots still in the table's history are seen: one expired before it was read is missed, which maintenance's
 * {@code snapshot-max-age} (days) makes a matter of a reader that was stopped for days.
 */
public final class SinkCommits {

    private static final long HOUR_MS = 3_600_000L;

    private final Catalog catalog;

    public SinkCommits(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * One sink commit to one table.
     *
     * @param table              the table, e.g. {@code silver.orders} (the topic it holds)
     * @param committedAtMillis  when the snapshot was committed
     * @param addedDataFiles     data files it added
     * @param oldestRecordMillis the earliest record time ({@code hours(...)} source column) among them, from the
     *                           files' column metrics, else the start of their earliest hour; empty when the table has
     *                           no hour partition
     */
    public record Commit(String table, long committedAtMillis, int addedDataFiles,
                         Optional<Long> oldestRecordMillis) {
    }

    /**
     * Every sink commit after the last one seen of its table, oldest first per table.
     *
     * @param lastSeen      per table, the commit time of the last commit already seen
     * @param defaultMillis for a table not in {@code lastSeen}: commits at or before this time are not returned
     */
    public List<Commit> after(Map<String, Long> lastSeen, long defaultMillis) {
        List<Commit> commits = new ArrayList<>();
        for (TableIdentifier id : CatalogTables.under(catalog, Namespace.empty())) {
            Table table = catalog.loadTable(id);
            long after = lastSeen.getOrDefault(id.toString(), defaultMillis);
            List<Snapshot> fresh = new ArrayList<>();
            for (Snapshot snapshot : table.snapshots()) {
                if (snapshot.timestampMillis() > after && isSinkCommit(snapshot)) {
                    fresh.add(snapshot);
                }
            }
            fresh.sort(Comparator.comparingLong(Snapshot::timestampMillis));
            for (Snapshot snapshot : fresh) {
                commits.add(new Commit(id.toString(), snapshot.timestampMillis(), addedDataFiles(snapshot),
                        oldestRecord(table, snapshot)));
            }
        }
        return commits;
    }

    private static boolean isSinkCommit(Snapshot snapshot) {
        String operation = snapshot.operation();
        return !DataOperations.REPLACE.equals(operation) && !DataOperations.DELETE.equals(operation)
                && addedDataFiles(snapshot) > 0;
    }

    private static int addedDataFiles(Snapshot snapshot) {
        String added = snapshot.summary() == null ? null : snapshot.summary().get(SnapshotSummary.ADDED_FILES_PROP);
        return added == null ? 0 : Integer.parseInt(added);
    }

    private static Optional<Long> oldestRecord(Table table, Snapshot snapshot) {
        Optional<HourPartitionField> hour = HourPartitionField.of(table.spec());
        if (hour.isEmpty()) {
            return Optional.empty();
        }
        PartitionField field = table.spec().fields().get(hour.get().position());
        Type type = table.schema().findType(field.sourceId());
        Long oldest = null;
        // SnapshotChanges reads the manifests with the table's specs (Snapshot.addedDataFiles logs a deprecation).
        for (DataFile file : SnapshotChanges.builderFor(table).snapshot(snapshot).build().addedDataFiles()) {
            Long at = lowerBoundMillis(file, field.sourceId(), type);
            if (at == null) {
                // No column metrics: the start of the file's hour is as early as its records can be.
                at = file.specId() == table.spec().specId()
                        ? hour.get().endMillis(file.partition()).map(end -> end - HOUR_MS).orElse(null) : null;
            }
            if (at != null && (oldest == null || at < oldest)) {
                oldest = at;
            }
        }
        return Optional.ofNullable(oldest);
    }

    private static Long lowerBoundMillis(DataFile file, int sourceId, Type type) {
        Map<Integer, ByteBuffer> bounds = file.lowerBounds();
        ByteBuffer bound = bounds == null ? null : bounds.get(sourceId);
        if (bound == null || type == null || type.typeId() != Type.TypeID.TIMESTAMP) {
            return null;
        }
        Long micros = Conversions.fromByteBuffer(type, bound);
        return micros == null ? null : Math.floorDiv(micros, 1000L);
    }
}
