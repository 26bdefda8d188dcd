package dev.sluice.lake.retention;

import java.time.Instant;
import java.util.List;

/**
 * What one janitor run found and did (or, in a dry run, would do).
 *
 * @param startedAt  when it started; the instant expiry was judged against
 * @param finishedAt when it ended
 * @param dryRun     whether it only reported
 * @param partitions every expired partition it found, with what became of it
 * @param uploads    every stale multipart upload it found, with what became of it
 * @param error      why the run stopped early (listing the lake failed), or null
 */
public record JanitorReport(Instant startedAt, Instant finishedAt, boolean dryRun, List<ExpiredPartition> partitions,
                            List<AbandonedUpload> uploads, String error) {

    public JanitorReport {
        partitions = List.copyOf(partitions);
        uploads = List.copyOf(uploads);
    }

    /** What became of an expired partition. */
    public enum PartitionStatus {
        /** Dry run: it would be deleted. */
        EXPIRED,
        /** Unpublished and deleted, manifest last. */
        DELETED,
        /** Unpublished and emptied, but objects appeared meanwhile; the next run finishes it. */
        INCOMPLETE,
        /** A compaction replaced its manifest first; the next run tries again. */
        CONFLICT,
        /** Reading or deleting it failed; see the detail. */
        FAILED
    }

    /** What became of a stale upload. */
    public enum UploadStatus {
        /** Dry run: it would be aborted. */
        STALE,
        ABORTED,
        FAILED
    }

    /**
     * An expired partition.
     *
     * @param zone      the zone prefix
     * @param topic     the topic
     * @param path      the partition path
     * @param hourEnd   when its hour ended
     * @param cutoff    the cutoff it was judged by
     * @param objects   objects it held (dry run) or deleted
     * @param bytes     their size
     * @param status    what became of it
     * @param detail    the error, for FAILED
     */
    public record ExpiredPartition(String zone, String topic, String path, Instant hourEnd, Instant cutoff,
                                   int objects, long bytes, PartitionStatus status, String detail) {
    }

    /**
     * A stale multipart upload.
     *
     * @param upload the upload
     * @param status what became of it
     * @param detail the error, for FAILED
     */
    public record AbandonedUpload(StaleUpload upload, UploadStatus status, String detail) {
    }

    /** Partitions deleted completely. */
    public long partitionsDeleted() {
        return partitions.stream().filter(p -> p.status() == PartitionStatus.DELETED).count();
    }

    /** Objects of the expired partitions: deleted, or in a dry run to be deleted. */
    public long objects() {
        return partitions.stream().mapToLong(ExpiredPartition::objects).sum();
    }

    /** Their size. */
    public long bytes() {
        return partitions.stream().mapToLong(ExpiredPartition::bytes).sum();
    }

    /** Objects deleted (zero in a dry run). */
    public long objectsDeleted() {
        return dryRun ? 0 : objects();
    }

    /** Bytes deleted (zero in a dry run). */
    public long bytesDeleted() {
        return dryRun ? 0 : bytes();
    }

    /** Uploads aborted. */
    public long uploadsAborted() {
        return uploads.stream().filter(u -> u.status() == UploadStatus.ABORTED).count();
    }

    /** Partitions or uploads that failed. */
    public long failures() {
        return partitions.stream().filter(p -> p.status() == PartitionStatus.FAILED).count()
                + uploads.stream().filter(u -> u.status() == UploadStatus.FAILED).count();
    }

    /** Whether the run went through everything without a failure. */
    public boolean succeeded() {
        return error == null && failures() == 0;
    }
}
