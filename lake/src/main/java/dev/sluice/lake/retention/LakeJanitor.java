package dev.sluice.lake.retention;

import dev.sluice.lake.compaction.HourPartitions;
import dev.sluice.lake.compaction.LakePartition;
import dev.sluice.lake.compaction.PartitionRetirement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Retention of the lake: deletes the hour partitions of each zone whose hour ended longer ago than the zone's (or
 * topic's) retention, each through its published state ({@link PartitionRetirement}), and aborts multipart
 * uploads abandoned longer ago than the multipart age. Only partition directories under {@code
 * <zone>/<topic>/year=/month=/day=/hour=} are ever deleted: the sink's offset checkpoints
 * ({@code <zone>/_sluice/...}) are not a topic and never listed. A dry run reports the same without changing
 * anything. All ages are judged against one instant of the injected clock per run.
 */
public final class LakeJanitor {

    private static final Logger LOG = LoggerFactory.getLogger(LakeJanitor.class);

    private final RetentionSettings settings;
    private final RetentionPolicy policy;
    private final HourPartitions hours;
    private final PartitionRetirement retirement;
    private final StaleUploads uploads;
    private final Clock clock;

    public LakeJanitor(S3Client s3, RetentionSettings settings, Clock clock) {
        this.settings = settings;
        this.policy = new RetentionPolicy(settings);
        this.hours = new HourPartitions(s3, settings.bucket(), settings.zone());
        this.retirement = new PartitionRetirement(s3, settings.bucket(), clock);
        this.uploads = new StaleUploads(s3, settings.bucket());
        this.clock = clock;
    }

    /** The settings. */
    public RetentionSettings settings() {
        return settings;
    }

    /** Deletes what has expired (or, with {@code dryRun}, only reports it); stops early when interrupted. */
    public JanitorReport run(boolean dryRun) {
        Instant now = clock.instant();
        List<JanitorReport.ExpiredPartition> partitions = new ArrayList<>();
        List<JanitorReport.AbandonedUpload> abandoned = new ArrayList<>();
        String error = null;
        try {
            expirePartitions(now, dryRun, partitions);
            if (Thread.currentThread().isInterrupted()) {
                error = "interrupted (shutdown); the next run goes on where this one stopped";
            } else {
                abortUploads(now, dryRun, abandoned);
            }
        } catch (SdkException | IllegalStateException e) {
            error = "listing the lake failed: " + e.getMessage();
        }
        JanitorReport report = new JanitorReport(now, clock.instant(), dryRun, partitions, abandoned, error);
        LOG.info("lake retention run finished dryRun={} expired={} deleted={} objects={} bytes={} uploadsStale={} "
                        + "uploadsAborted={} failures={} error={} ms={}", dryRun, partitions.size(),
                report.partitionsDeleted(), report.objects(), report.bytes(), abandoned.size(), report.uploadsAborted(),
                report.failures(), error, report.finishedAt().toEpochMilli() - now.toEpochMilli());
        return report;
    }

    private void expirePartitions(Instant now, boolean dryRun, List<JanitorReport.ExpiredPartition> found) {
        for (String zone : settings.zones().keySet()) {
            for (String topic : hours.topics(zone)) {
                Optional<Instant> cutoff = policy.cutoff(zone, topic, now);
                if (cutoff.isEmpty()) {
                    continue;
                }
                for (LakePartition partition : hours.endedBy(zone, topic, cutoff.get())) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    // The discovery's walk already applied the cutoff; the policy decides again on the path itself,
                    // so that a deletion never rests on one computation alone.
                    if (policy.expired(zone, topic, partition.path(), now)) {
                        found.add(expire(partition, cutoff.get(), dryRun));
                    }
                }
            }
        }
    }

    private JanitorReport.ExpiredPartition expire(LakePartition partition, Instant cutoff, boolean dryRun) {
        Instant hourEnd = HourPartitions.hourEnd(partition.path(), settings.zone()).orElseThrow();
        try {
            if (dryRun) {
                PartitionRetirement.Contents contents = retirement.inspect(partition);
                return expired(partition, hourEnd, cutoff, contents.objects(), contents.bytes(),
                        JanitorReport.PartitionStatus.EXPIRED, null);
            }
            PartitionRetirement.Result result = retirement.retire(partition);
            JanitorReport.PartitionStatus status = switch (result.outcome()) {
                case RETIRED -> JanitorReport.PartitionStatus.DELETED;
                case INCOMPLETE -> JanitorReport.PartitionStatus.INCOMPLETE;
                case CONFLICT -> JanitorReport.PartitionStatus.CONFLICT;
            };
            if (status != JanitorReport.PartitionStatus.DELETED) {
                LOG.warn("lake retention left a partition for the next run partition={} outcome={}", partition,
                        status);
            }
            return expired(partition, hourEnd, cutoff, result.deletedObjects(), result.deletedBytes(), status, null);
        } catch (RuntimeException e) {
            LOG.warn("lake retention failed partition={} reason={}", partition, e.toString());
            return expired(partition, hourEnd, cutoff, 0, 0, JanitorReport.PartitionStatus.FAILED, e.toString());
        }
    }

    private static JanitorReport.ExpiredPartition expired(LakePartition partition, Instant hourEnd, Instant cutoff,
            int objects, long bytes, JanitorReport.PartitionStatus status, String detail) {
        return new JanitorReport.ExpiredPartition(partition.prefix(), partition.topic(), partition.path(), hourEnd,
                cutoff, objects, bytes, status, detail);
    }

    private void abortUploads(Instant now, boolean dryRun, List<JanitorReport.AbandonedUpload> found) {
        for (StaleUpload upload : uploads.initiatedBy(now.minus(settings.multipartMaxAge()))) {
            if (dryRun) {
                found.add(new JanitorReport.AbandonedUpload(upload, JanitorReport.UploadStatus.STALE, null));
                continue;
            }
            try {
                uploads.abort(upload);
                found.add(new JanitorReport.AbandonedUpload(upload, JanitorReport.UploadStatus.ABORTED, null));
            } catch (SdkException e) {
                LOG.warn("lake retention could not abort upload key={} uploadId={} reason={}", upload.key(),
                        upload.uploadId(), e.toString());
                found.add(new JanitorReport.AbandonedUpload(upload, JanitorReport.UploadStatus.FAILED, e.toString()));
            }
        }
    }
}
