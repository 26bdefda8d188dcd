package dev.sluice.app.retention;

import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Lake retention as the API shows it: how it is set up, what would go now, and what went (never credentials).
 *
 * @param enabled  whether retention runs (it needs compaction enabled too)
 * @param settings the settings
 * @param plan     a dry run done for this answer: what the next run would delete
 * @param runs     the last runs, newest first, the one in progress included
 */
@Serdeable
@Schema(name = "Retention")
public record RetentionView(boolean enabled, @Nullable Settings settings, @Nullable ReportView plan,
        List<RetentionRunView> runs) {

    /**
     * The settings.
     *
     * @param bucket          the lake's bucket
     * @param timezone        the zone hours are read in
     * @param dryRun          whether runs with compaction only report
     * @param zones           retention per zone prefix (ISO-8601 durations)
     * @param topics          retention per topic, overriding the zone's
     * @param openHourGuard   no hour that ended less than this ago is deleted (compaction's closed delay)
     * @param multipartMaxAge incomplete uploads older than this are aborted
     */
    @Serdeable
    @Schema(name = "RetentionSettings")
    public record Settings(String bucket, String timezone, boolean dryRun, Map<String, String> zones,
            Map<String, String> topics, String openHourGuard, String multipartMaxAge) {
    }
}
