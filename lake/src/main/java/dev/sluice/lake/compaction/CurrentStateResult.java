package dev.sluice.lake.compaction;

import java.time.Duration;

/**
 * What one current-state run did to the snapshot of one hour.
 *
 * @param snapshot    the snapshot ({@code prefix-current/topic/year=…/hour=…})
 * @param outcome     what happened
 * @param detail      why it failed or waits; null otherwise
 * @param rowsIn      rows read: the previous snapshot's plus the hour's changelog rows
 * @param keys        rows written for readers, one per key present
 * @param deletedKeys delete rows kept for the next hour, one per key whose latest row is a delete
 * @param outputFiles files written
 * @param outputBytes their size
 * @param deletedFiles files deleted (replaced, orphaned or expired)
 * @param duration    time taken
 */
public record CurrentStateResult(String snapshot, Outcome outcome, String detail, long rowsIn, long keys,
                                 long deletedKeys, int outputFiles, long outputBytes, int deletedFiles, Duration duration) {

    /** What happened to a snapshot. */
    public enum Outcome {
        /** The hour had no snapshot; now it has. */
        PUBLISHED,
        /** The snapshot was out of date (its hour or the one before changed: late data, compaction) and was rebuilt. */
        REPLACED,
        /** Nothing to publish; replaced or orphaned files were deleted. */
        UNCHANGED,
        /** Older than the retention: deleted. */
        EXPIRED,
        /** The hour holds sink files the sink has not checkpointed yet; it and the later hours wait. */
        WAITING,
        /** Another run published first; this one published nothing. */
        CONFLICT,
        /**
         * An error stopped it: it published nothing, or (a failure after the manifest was written) its snapshot
         * stands and only cleanup is left. The later hours of the topic wait for the next run.
         */
        FAILED
    }

    static CurrentStateResult of(LakePartition snapshot, Outcome outcome, String detail, Duration duration) {
        return new CurrentStateResult(snapshot.toString(), outcome, detail, 0, 0, 0, 0, 0, 0, duration);
    }
}
