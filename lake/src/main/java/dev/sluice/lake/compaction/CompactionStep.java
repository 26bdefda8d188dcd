package dev.sluice.lake.compaction;

/**
 * The points between the steps of compacting one partition, where a {@link FaultInjector} may stop the run as a
 * crash would. Whatever step a run stops after, a reader of the partition's published state sees exactly the old
 * files or exactly the new ones, and running compaction again completes the work.
 */
public enum CompactionStep {
    /** The inputs and the output names are decided; nothing has been written. */
    PLANNED,
    /** An output file has received its first row; its object is not visible yet. */
    OUTPUT_OPEN,
    /** An output file is complete and visible in S3, but not published. */
    OUTPUT_WRITTEN,
    /** The new manifest is written: the outputs are published, the inputs are not any more. */
    COMMITTED,
    /** One replaced or orphaned file has been deleted. */
    GARBAGE_DELETED,
    /** The manifest no longer lists the deleted files as garbage. */
    GARBAGE_RECORDED
}
