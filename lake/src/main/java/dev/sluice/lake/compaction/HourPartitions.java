package dev.sluice.lake.compaction;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The hour partitions of a lake by when their hour ended, at any age, for lake maintenance other than compaction
 * (retention). Hours are read in the sinks' time zone exactly as compaction reads them: a local hour that occurs
 * twice (the end of daylight saving time) ends when the second one does.
 */
public final class HourPartitions {

    private final PartitionDiscovery discovery;

    public HourPartitions(S3Client s3, String bucket, ZoneId zone) {
        this.discovery = new PartitionDiscovery(s3, bucket, zone);
    }

    /** The topics that have a directory under {@code prefix} (never the sink's {@code _sluice} state directory). */
    public List<String> topics(String prefix) {
        return discovery.topics(prefix);
    }

    /** Every partition of {@code topic} under {@code prefix} whose hour ended at or before {@code cutoff}. */
    public List<LakePartition> endedBy(String prefix, String topic, Instant cutoff) {
        return discovery.partitions(prefix, topic, cutoff, Instant.MIN);
    }

    /** When the hour a partition path names is over; empty when the path names no hour. */
    public static Optional<Instant> hourEnd(String path, ZoneId zone) {
        return PartitionHours.hourEnd(path, zone);
    }
}
