package dev.sluice.app.retention;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One janitor run as the API shows it.
 *
 * @param id         run number, counting from 1 since the service started
 * @param trigger    what started it
 * @param dryRun     whether it only reported
 * @param status     where it stands
 * @param startedAt  when it started
 * @param finishedAt when it ended; null while running
 * @param result     what it found and did; null while running
 */
@Serdeable
@Schema(name = "RetentionRun")
public record RetentionRunView(long id, Trigger trigger, boolean dryRun, Status status, Instant startedAt,
        @Nullable Instant finishedAt, @Nullable ReportView result) {

    /** What started a run. */
    public enum Trigger {
        /** The end of a compaction run (scheduled or requested). */
        COMPACTION,
        API
    }

    /** Where a run stands. */
    public enum Status {
        RUNNING,
        /** Everything expired was handled (deleted, or reported in a dry run). */
        SUCCEEDED,
        /** Some partition or upload failed, or listing the lake did; see the result. */
        FAILED
    }
}
