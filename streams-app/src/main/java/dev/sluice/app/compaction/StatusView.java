package dev.sluice.app.compaction;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What compaction is doing and how it is set up (never the S3 credentials).
 *
 * @param enabled    whether compaction is configured
 * @param running    the run in progress
 * @param lastRun    the last finished run
 * @param schedule   when runs start by themselves
 * @param settings   the settings that decide what is compacted
 */
@Serdeable
@Schema(name = "CompactionStatus")
public record StatusView(boolean enabled, @Nullable RunView running, @Nullable RunView lastRun,
        @Nullable Schedule schedule, @Nullable Settings settings) {

    /**
     * The schedule.
     *
     * @param cron      the cron expression; null when runs start over the API only
     * @param timezone  the zone it is evaluated in
     * @param nextRunAt the next start (ISO-8601 with offset); null when not scheduled
     */
    @Serdeable
    @Schema(name = "CompactionSchedule")
    public record Schedule(@Nullable String cron, String timezone, @Nullable String nextRunAt) {
    }

    /**
     * The settings.
     *
     * @param bucket          the lake's bucket
     * @param prefixes        sink prefixes compacted
     * @param topics          topic globs; empty for all
     * @param closedDelay     how long after its hour a partition is closed (ISO-8601 duration)
     * @param lookback        how far back partitions are looked at
     * @param targetFileBytes the size files are cut at
     * @param codec           compression of the merged files
     * @param snapshotTopics  topics compacted to their latest row per key
     * @param s3Endpoint      the S3 endpoint; empty for AWS
     */
    @Serdeable
    @Schema(name = "CompactionSettings")
    public record Settings(String bucket, List<String> prefixes, List<String> topics, String closedDelay,
            String lookback, long targetFileBytes, String codec, List<String> snapshotTopics, String s3Endpoint) {
    }
}
