package dev.sluice.lake.compaction;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What compaction does and where. Build with {@link #builder(String)}; every value is checked when built, with a
 * message naming it.
 *
 * @param bucket                the bucket of the lake
 * @param prefixes              the sink prefixes ({@code topics.dir}) whose topics are compacted
 * @param topics                topic name globs ({@code *} any characters, {@code ?} one); empty means every topic
 * @param zone                  the time zone the sink cuts hours in ({@code partition.timezone})
 * @param closedDelay           an hour partition is closed, and compacted, this long after its hour ends
 * @param lookback              partitions whose hour ended longer ago than this are not looked at
 * @param targetFileBytes       outputs are cut when they reach this size
 * @param codec                 compression of the outputs
 * @param rowGroupBytes         row group size of the outputs; one row group is buffered in memory
 * @param pageBytes             page size of the outputs
 * @param partBytes             multipart upload part size; also the upload buffer of the output being written
 * @param gcGrace               replaced files are deleted this long after the commit that replaced them, so that
 *                              readers that listed the partition just before can finish
 * @param orphanGrace           files that no manifest lists (outputs of a run that crashed before its commit and
 *                              whose inputs changed since) are deleted when older than this; it must exceed the
 *                              longest compaction of one partition
 * @param requireSinkCheckpoint only files of groups the sink has checkpointed are compacted (see the design notes);
 *                              false treats every file of a closed partition as final
 * @param snapshots             topics compacted in snapshot mode, with their key
 * @param snapshotMaxKeys       the most distinct keys a snapshot of one partition may hold in memory
 */
public record CompactionSettings(String bucket, List<String> prefixes, List<String> topics, ZoneId zone,
                                 Duration closedDelay, Duration lookback, long targetFileBytes, ParquetCodec codec,
                                 long rowGroupBytes, int pageBytes, int partBytes, Duration gcGrace,
                                 Duration orphanGrace, boolean requireSinkCheckpoint,
                                 Map<String, SnapshotSpec> snapshots, long snapshotMaxKeys) {

    public CompactionSettings {
        require(bucket != null && !bucket.isBlank(), "bucket", "must not be empty");
        require(prefixes != null && !prefixes.isEmpty(), "prefixes", "must name at least one prefix");
        for (String prefix : prefixes) {
            try {
                ObjectKeyNamer.validatePrefix(prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("prefixes: '" + prefix + "' " + e.getMessage(), e);
            }
        }
        Objects.requireNonNull(zone, "zone");
        require(!closedDelay.isNegative(), "closed-delay", "must not be negative");
        require(lookback.compareTo(Duration.ofHours(1)) >= 0, "lookback", "must be at least one hour");
        require(targetFileBytes >= 1024, "target-file-size", "must be at least 1 KiB");
        Objects.requireNonNull(codec, "codec");
        require(rowGroupBytes >= 1024, "row-group-size", "must be at least 1 KiB");
        require(pageBytes >= 1024, "page-size", "must be at least 1 KiB");
        require(partBytes >= 1024, "part-size", "must be at least 1 KiB (5 MiB for AWS S3)");
        require(!gcGrace.isNegative(), "gc-grace", "must not be negative");
        require(!orphanGrace.isNegative(), "orphan-grace", "must not be negative");
        require(snapshotMaxKeys > 0, "snapshot-max-keys", "must be positive");
        prefixes = List.copyOf(prefixes);
        topics = List.copyOf(topics);
        snapshots = Map.copyOf(snapshots);
    }

    private static void require(boolean condition, String key, String message) {
        if (!condition) {
            throw new IllegalArgumentException(key + " " + message);
        }
    }

    /** How outputs are written. */
    ParquetFileSettings fileSettings() {
        return new ParquetFileSettings(bucket, codec, rowGroupBytes, pageBytes, partBytes);
    }

    /** Settings with defaults for everything but the bucket. */
    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    /** Collects settings; the defaults are the documented ones. */
    public static final class Builder {
        private final String bucket;
        private List<String> prefixes = List.of("topics");
        private List<String> topics = List.of();
        private ZoneId zone = ZoneId.of("UTC");
        private Duration closedDelay = Duration.ofHours(1);
        private Duration lookback = Duration.ofDays(7);
        private long targetFileBytes = 128L * 1024 * 1024;
        private ParquetCodec codec = ParquetCodec.SNAPPY;
        private long rowGroupBytes = 32L * 1024 * 1024;
        private int pageBytes = ParquetFileSettings.DEFAULT_PAGE_BYTES;
        private int partBytes = 8 * 1024 * 1024;
        private Duration gcGrace = Duration.ofMinutes(10);
        private Duration orphanGrace = Duration.ofHours(6);
        private boolean requireSinkCheckpoint = true;
        private Map<String, SnapshotSpec> snapshots = Map.of();
        private long snapshotMaxKeys = 5_000_000;

        private Builder(String bucket) {
            this.bucket = bucket;
        }

        public Builder prefixes(List<String> value) {
            prefixes = value;
            return this;
        }

        public Builder topics(List<String> value) {
            topics = value;
            return this;
        }

        public Builder zone(ZoneId value) {
            zone = value;
            return this;
        }

        public Builder closedDelay(Duration value) {
            closedDelay = value;
            return this;
        }

        public Builder lookback(Duration value) {
            lookback = value;
            return this;
        }

        public Builder targetFileBytes(long value) {
            targetFileBytes = value;
            return this;
        }

        public Builder codec(ParquetCodec value) {
            codec = value;
            return this;
        }

        public Builder rowGroupBytes(long value) {
            rowGroupBytes = value;
            return this;
        }

        public Builder pageBytes(int value) {
            pageBytes = value;
            return this;
        }

        public Builder partBytes(int value) {
            partBytes = value;
            return this;
        }

        public Builder gcGrace(Duration value) {
            gcGrace = value;
            return this;
        }

        public Builder orphanGrace(Duration value) {
            orphanGrace = value;
            return this;
        }

        public Builder requireSinkCheckpoint(boolean value) {
            requireSinkCheckpoint = value;
            return this;
        }

        public Builder snapshots(Map<String, SnapshotSpec> value) {
            snapshots = value;
            return this;
        }

        public Builder snapshotMaxKeys(long value) {
            snapshotMaxKeys = value;
            return this;
        }

        public CompactionSettings build() {
            return new CompactionSettings(bucket, prefixes, topics, zone, closedDelay, lookback, targetFileBytes,
                    codec, rowGroupBytes, pageBytes, partBytes, gcGrace, orphanGrace, requireSinkCheckpoint,
                    snapshots, snapshotMaxKeys);
        }
    }
}
