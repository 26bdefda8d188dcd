package dev.sluice.app.compaction;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One maintenance pass over the lake's Iceberg tables, as {@code GET /api/compaction/iceberg/passes} shows it: when,
 * whether it succeeded, and what it did summed over the tables.
 *
 * @param retiredFiles data files of hours past their zone's retention, removed from their tables
 * @param error        why it failed, one line; null when it succeeded
 */
@Serdeable
public record IcebergMaintenancePass(long id, Instant startedAt, Instant finishedAt, Status status, int tables,
                                     int retiredFiles, int partitionsCompacted, int filesRewritten, int filesWritten,
                                     int conflicts, int snapshotsExpired, int orphansDeleted, @Nullable String error) {

    public enum Status { SUCCEEDED, FAILED }
}
