package dev.sluice.app.compaction;

import java.time.Instant;
import java.util.List;

import dev.sluice.lake.compaction.PartitionResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One compaction run as the API shows it.
 *
 * @param id                 run number, counting from 1 since the service started
 * @param trigger            what started it
 * @param status             where it stands
 * @param startedAt          when it started
 * @param finishedAt         when it ended; null while running
 * @param durationMs         time taken so far
 * @param partitionsExamined closed partitions looked at (known when finished)
 * @param compacted          partitions compacted
 * @param failed             partitions that failed
 * @param conflicts          partitions another run committed first
 * @param filesBefore        published files of the partitions listed, before
 * @param filesAfter         and after
 * @param bytesBefore        their size before
 * @param bytesAfter         and after
 * @param error              why the run stopped, if it did
 * @param partitions         the partitions where something happened
 * @param currentState       the current-state snapshots of the run; null when they are not enabled
 */
@Serdeable
@Schema(name = "CompactionRun")
public record RunView(long id, Trigger trigger, Status status, Instant startedAt, @Nullable Instant finishedAt,
        long durationMs, int partitionsExamined, long compacted, long failed, long conflicts, long filesBefore,
        long filesAfter, long bytesBefore, long bytesAfter, @Nullable String error, List<PartitionView> partitions,
        @Nullable CurrentStateView currentState) {

    /** What started a run. */
    public enum Trigger {
        SCHEDULE, API
    }

    /** Where a run stands. */
    public enum Status {
        /** In progress. */
        RUNNING,
        /** Every partition went through. */
        SUCCEEDED,
        /** Some partition failed or the run could not go on; see {@code error} and the partitions. */
        FAILED,
        /** Stopped by a shutdown before it looked at every partition. */
        INTERRUPTED
    }

    /**
     * What happened to one partition.
     *
     * @param partition    {@code prefix/topic/path}
     * @param outcome      COMPACTED, UNCHANGED (garbage collected only), CONFLICT or FAILED
     * @param detail       the error, or why nothing was merged
     * @param generation   manifest generation after the run
     * @param filesBefore  published files before
     * @param filesAfter   published files after
     * @param bytesBefore  their size before
     * @param bytesAfter   their size after
     * @param inputFiles   files merged
     * @param inputBytes   their size
     * @param outputFiles  files written
     * @param outputBytes  their size
     * @param rowsIn       rows read
     * @param rowsOut      rows written
     * @param pendingFiles sink files not yet checkpointed by the sink, left for a later run
     * @param deletedFiles replaced or orphaned files deleted
     * @param durationMs   time taken
     */
    @Serdeable
    @Schema(name = "CompactionPartition")
    public record PartitionView(String partition, PartitionResult.Outcome outcome, @Nullable String detail,
            long generation, int filesBefore, int filesAfter, long bytesBefore, long bytesAfter, int inputFiles,
            long inputBytes, int outputFiles, long outputBytes, long rowsIn, long rowsOut, int pendingFiles,
            int deletedFiles, long durationMs) {

        static PartitionView of(PartitionResult r) {
            return new PartitionView(r.partition(), r.outcome(), r.detail(), r.generation(), r.filesBefore(),
                    r.filesAfter(), r.bytesBefore(), r.bytesAfter(), r.inputFiles(), r.inputBytes(), r.outputFiles(),
                    r.outputBytes(), r.rowsIn(), r.rowsOut(), r.pendingFiles(), r.deletedFiles(),
                    r.duration().toMillis());
        }
    }
}
