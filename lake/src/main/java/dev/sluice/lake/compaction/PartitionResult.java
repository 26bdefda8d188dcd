package dev.sluice.lake.compaction;

import java.time.Duration;

/**
 * What compaction did to one partition.
 *
 * @param partition    the partition ({@code prefix/topic/path})
 * @param outcome      what happened
 * @param detail       why nothing was done, or what failed; null when compacted
 * @param generation   the manifest generation after the run (0: no manifest)
 * @param filesBefore  published files before
 * @param bytesBefore  their total size
 * @param filesAfter   published files after
 * @param bytesAfter   their total size
 * @param inputFiles   files merged
 * @param inputBytes   their size
 * @param rowsIn       rows read
 * @param outputFiles  files written
 * @param outputBytes  their size
 * @param rowsOut      rows written (fewer than read only in snapshot mode)
 * @param pendingFiles sink files left alone because the sink has not checkpointed them yet
 * @param deletedFiles replaced or orphaned files deleted by this run
 * @param duration     time spent on the partition
 */
public record PartitionResult(String partition, Outcome outcome, String detail, long generation, int filesBefore,
                              long bytesBefore, int filesAfter, long bytesAfter, int inputFiles, long inputBytes,
                              long rowsIn, int outputFiles, long outputBytes, long rowsOut, int pendingFiles,
                              int deletedFiles, Duration duration) {

    /** What happened to a partition. */
    public enum Outcome {
        /** New files were published in place of the inputs. */
        COMPACTED,
        /** Nothing worth merging (garbage may still have been collected). */
        UNCHANGED,
        /** The partition is not closed yet. */
        OPEN,
        /** Another run committed first; this run published nothing. */
        CONFLICT,
        /** An error stopped the run; it published nothing, or its commit stands and only cleanup is left. */
        FAILED
    }
}
