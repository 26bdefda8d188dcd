package dev.sluice.app.retention;

import java.time.Instant;
import java.util.List;

import dev.sluice.lake.retention.JanitorReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a janitor pass found and did, as the API shows it: for a dry run what would go, for a real run what went.
 *
 * @param judgedAt   the instant ages were judged against
 * @param dryRun     whether nothing was changed
 * @param partitions expired partitions found
 * @param objects    their objects (deleted, or to be deleted)
 * @param bytes      their size
 * @param uploads    stale multipart uploads found
 * @param failures   partitions and uploads that failed
 * @param error      why the pass stopped early, if it did
 * @param expired    every expired partition
 * @param stale      every stale upload
 */
@Serdeable
@Schema(name = "RetentionReport")
public record ReportView(Instant judgedAt, boolean dryRun, int partitions, long objects, long bytes, int uploads,
        long failures, @Nullable String error, List<PartitionView> expired, List<UploadView> stale) {

    static ReportView of(JanitorReport report) {
        return new ReportView(report.startedAt(), report.dryRun(), report.partitions().size(), report.objects(),
                report.bytes(), report.uploads().size(), report.failures(), report.error(),
                report.partitions().stream().map(PartitionView::of).toList(),
                report.uploads().stream().map(UploadView::of).toList());
    }

    /**
     * An expired partition.
     *
     * @param partition {@code zone/topic/path}
     * @param hourEnd   when its hour ended
     * @param cutoff    hours that ended at or before this had expired
     * @param objects   objects held or deleted
     * @param bytes     their size
     * @param status    EXPIRED (dry run), DELETED, INCOMPLETE, CONFLICT or FAILED
     * @param detail    the error, for FAILED
     */
    @Serdeable
    @Schema(name = "RetentionPartition")
    public record PartitionView(String partition, Instant hourEnd, Instant cutoff, int objects, long bytes,
            JanitorReport.PartitionStatus status, @Nullable String detail) {

        static PartitionView of(JanitorReport.ExpiredPartition p) {
            return new PartitionView(p.zone() + "/" + p.topic() + "/" + p.path(), p.hourEnd(), p.cutoff(),
                    p.objects(), p.bytes(), p.status(), p.detail());
        }
    }

    /**
     * A stale multipart upload.
     *
     * @param key       the object it would have created
     * @param uploadId  its id
     * @param initiated when it started
     * @param status    STALE (dry run), ABORTED or FAILED
     * @param detail    the error, for FAILED
     */
    @Serdeable
    @Schema(name = "RetentionUpload")
    public record UploadView(String key, String uploadId, Instant initiated, JanitorReport.UploadStatus status,
            @Nullable String detail) {

        static UploadView of(JanitorReport.AbandonedUpload u) {
            return new UploadView(u.upload().key(), u.upload().uploadId(), u.upload().initiated(), u.status(),
                    u.detail());
        }
    }
}
