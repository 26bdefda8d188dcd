package dev.sluice.app.compaction;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.ReadableBytes;

/**
 * Settings {@code sluice.compaction.*} of the lake's batch compaction (docs/lake/compaction.md): where the lake is,
 * which partitions are closed, how big the files should be, when it runs. The S3 credentials come from the
 * environment ({@code SLUICE_S3_ACCESS_KEY}, {@code SLUICE_S3_SECRET_KEY}) and appear in no log or answer.
 */
@ConfigurationProperties("sluice.compaction")
public class CompactionConfiguration {

    private boolean enabled;
    private String cron = "0 15 * * * *";
    private String bucket = "lake";
    private List<String> prefixes = List.of("bronze", "silver", "gold");
    private List<String> topics = List.of();
    private String timezone = "UTC";
    private Duration closedDelay = Duration.ofHours(1);
    private Duration lookback = Duration.ofDays(7);
    private long targetFileSize = 128L * 1024 * 1024;
    private String codec = "snappy";
    private long rowGroupSize = 32L * 1024 * 1024;
    private long partSize = 8L * 1024 * 1024;
    private Duration gcGrace = Duration.ofMinutes(10);
    private Duration orphanGrace = Duration.ofHours(6);
    private boolean requireSinkCheckpoint = true;
    private long snapshotMaxKeys = 5_000_000;
    private int historySize = 20;
    private S3 s3 = new S3();

    /** Whether compaction is available at all (scheduled and over REST); off unless configured. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * When runs start: a Micronaut cron expression with seconds ({@code sec min hour day-of-month month
     * day-of-week}), evaluated in {@link #getTimezone()}; empty schedules nothing (REST only).
     */
    public String getCron() {
        return cron;
    }

    public void setCron(String cron) {
        this.cron = cron;
    }

    /** The lake's bucket. */
    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    /** The sink prefixes ({@code topics.dir} of each sink connector) whose topics are compacted. */
    public List<String> getPrefixes() {
        return prefixes;
    }

    public void setPrefixes(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /** Topic globs ({@code silver.*}); empty compacts every topic under the prefixes. */
    public List<String> getTopics() {
        return topics;
    }

    public void setTopics(List<String> topics) {
        this.topics = topics;
    }

    /** The sinks' {@code partition.timezone}; the cron is evaluated in it as well. */
    public String getTimezone() {
        return timezone;
    }

    public void setTimezone(String timezone) {
        this.timezone = timezone;
    }

    /** How long after its hour ends a partition counts as closed. */
    public Duration getClosedDelay() {
        return closedDelay;
    }

    public void setClosedDelay(Duration closedDelay) {
        this.closedDelay = closedDelay;
    }

    /** Partitions whose hour ended longer ago are not looked at. */
    public Duration getLookback() {
        return lookback;
    }

    public void setLookback(Duration lookback) {
        this.lookback = lookback;
    }

    /** Size the merged files are cut at, e.g. {@code 128MB}. */
    public long getTargetFileSize() {
        return targetFileSize;
    }

    public void setTargetFileSize(@ReadableBytes long targetFileSize) {
        this.targetFileSize = targetFileSize;
    }

    /** Compression of the merged files: snappy, zstd, gzip or none. */
    public String getCodec() {
        return codec;
    }

    public void setCodec(String codec) {
        this.codec = codec;
    }

    /** Row group size of the merged files; one row group is buffered in memory. */
    public long getRowGroupSize() {
        return rowGroupSize;
    }

    public void setRowGroupSize(@ReadableBytes long rowGroupSize) {
        this.rowGroupSize = rowGroupSize;
    }

    /** Multipart upload part size (at least 5MB on AWS S3). */
    public long getPartSize() {
        return partSize;
    }

    public void setPartSize(@ReadableBytes long partSize) {
        this.partSize = partSize;
    }

    /** How long replaced files are kept for readers that listed the partition before the commit. */
    public Duration getGcGrace() {
        return gcGrace;
    }

    public void setGcGrace(Duration gcGrace) {
        this.gcGrace = gcGrace;
    }

    /** Age after which unpublished outputs of crashed runs are deleted; longer than any run. */
    public Duration getOrphanGrace() {
        return orphanGrace;
    }

    public void setOrphanGrace(Duration orphanGrace) {
        this.orphanGrace = orphanGrace;
    }

    /** Compact only sink files below the sink's checkpoint (files a replay can no longer rewrite). */
    public boolean isRequireSinkCheckpoint() {
        return requireSinkCheckpoint;
    }

    public void setRequireSinkCheckpoint(boolean requireSinkCheckpoint) {
        this.requireSinkCheckpoint = requireSinkCheckpoint;
    }

    /** Most distinct keys a snapshot of one partition may hold in memory. */
    public long getSnapshotMaxKeys() {
        return snapshotMaxKeys;
    }

    public void setSnapshotMaxKeys(long snapshotMaxKeys) {
        this.snapshotMaxKeys = snapshotMaxKeys;
    }

    /** How many finished runs {@code GET /api/compaction/runs} remembers. */
    public int getHistorySize() {
        return historySize;
    }

    public void setHistorySize(int historySize) {
        this.historySize = historySize;
    }

    public S3 getS3() {
        return s3;
    }

    public void setS3(S3 s3) {
        this.s3 = s3;
    }

    /** Settings {@code sluice.compaction.s3.*}: how to reach the lake. */
    @ConfigurationProperties("s3")
    public static class S3 {
        private String endpoint = "";
        private String region = "us-east-1";
        private boolean pathStyleAccess;
        private String accessKey = "";
        private String secretKey = "";

        /** Endpoint of an S3-compatible server; empty for AWS S3. */
        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        /** Address buckets in the path; most S3-compatible servers need it. */
        public boolean isPathStyleAccess() {
            return pathStyleAccess;
        }

        public void setPathStyleAccess(boolean pathStyleAccess) {
            this.pathStyleAccess = pathStyleAccess;
        }

        /** Access key id; empty uses the default AWS credentials chain. */
        public String getAccessKey() {
            return accessKey;
        }

        public void setAccessKey(String accessKey) {
            this.accessKey = accessKey;
        }

        /** Secret access key, from the environment. */
        public String getSecretKey() {
            return secretKey;
        }

        public void setSecretKey(String secretKey) {
            this.secretKey = secretKey;
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", pathStyleAccess=" + pathStyleAccess
                    + ", credentials=" + (accessKey == null || accessKey.isBlank() ? "default chain" : "static")
                    + "]";
        }
    }
}
