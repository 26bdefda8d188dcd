package dev.sluice.lake.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Retention by age of whole hour partitions, per lake zone, as the Parquet lake's (docs/lake/retention.md): the
 * hours of a table of zone {@code z} (the first level of its namespace: {@code bronze.pg.orders} is bronze) that
 * ended at or before {@code min(now - retention(z), now - closed-delay)} are deleted as one Iceberg delete commit
 * per table ({@code DeleteFiles} with a row filter on the hour's source column, summary
 * {@code sluice.operation=retention}). Readers see the hours or not, never part of them; the files stay for time
 * travel until snapshot expiry removes them with the snapshots that still reference them. A zone without a retention
 * is never touched, nor a table without an hour partition.
 */
public final class PartitionRetention {

    private static final long HOUR_MS = 3_600_000L;

    private final Map<String, Duration> zones;
    private final Duration closedDelay;
    private final Clock clock;

    /**
     * @param zones       retention per zone; each at least one hour
     * @param closedDelay an hour younger than this since its end is never deleted, whatever the retention
     */
    public PartitionRetention(Map<String, Duration> zones, Duration closedDelay, Clock clock) {
        zones.forEach((zone, retention) -> {
            if (retention == null || retention.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("retention of zone " + zone + ": must be at least 1h, was "
                        + retention);
            }
        });
        this.zones = Map.copyOf(zones);
        this.closedDelay = closedDelay;
        this.clock = clock;
    }

    /** Deletes the expired hours of {@code table}, named {@code zone.….name}; returns the data files it removed. */
    public int expire(Table table, String tableName) {
        Duration retention = zones.get(tableName.substring(0, Math.max(0, tableName.indexOf('.'))));
        if (retention == null) {
            return 0;
        }
        table.refresh();
        if (table.currentSnapshot() == null || HourPartitionField.of(table.spec()).isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        long cutoff = Math.min(now - retention.toMillis(), now - closedDelay.toMillis());
        // Hours that ended at or before the cutoff hold exactly the rows before the last hour boundary at or before
        // it: a filter that whole partitions match, so Iceberg drops whole files and never needs to rewrite one.
        long boundaryMicros = Math.floorDiv(cutoff, HOUR_MS) * HOUR_MS * 1000L;
        PartitionField hour = table.spec().fields().get(HourPartitionField.of(table.spec()).get().position());
        String column = table.schema().findColumnName(hour.sourceId());
        Expression expired = Expressions.lessThan(column, boundaryMicros);
        int files = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(expired).planFiles()) {
            for (FileScanTask ignored : tasks) {
                files++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plan the expired files of " + tableName, e);
        }
        if (files > 0) {
            // No commit when nothing expired: an empty delete would still be a snapshot, every pass, per table.
            table.newDelete().deleteFromRowFilter(expired).set(IcebergCompactor.OPERATION_PROPERTY, "retention")
                    .commit();
        }
        return files;
    }
}
