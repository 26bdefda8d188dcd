package dev.sluice.app.status;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.connect.ConnectorView;
import dev.sluice.app.dataset.restart.RestartState;
import dev.sluice.app.freshness.FreshnessView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The pipeline at a glance: every instance, consumer lag, dead letters by reason, connectors and compaction.
 * Each part that cannot be had right now says so in its own {@code error} instead of failing the whole answer.
 *
 * @param applicationId the Kafka Streams application id
 * @param time          when this was put together, ISO-8601
 * @param instances     every instance of the application
 * @param lag           consumer lag per input topic
 * @param deadLetters   dead-letter records by reason; null when the monitor is disabled
 * @param connectors    the Kafka Connect connectors
 * @param compaction    the lake compaction
 * @param freshness     latency from the source per dataset and layer, and the SLAs, as this instance measured it
 * @param datasets      whether this instance runs the dataset directory as it is now, or a restart is pending
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "PipelineStatus")
public record PipelineStatus(String applicationId, String time, List<InstanceView> instances,
        ConsumerLag.LagView lag, @Nullable DeadLetterCounts deadLetters, Connectors connectors,
        Compaction compaction, FreshnessView freshness, RestartState datasets) {

    /**
     * The connectors.
     *
     * @param available whether Kafka Connect answered
     * @param error     why not
     * @param items       the connectors with their state, failed tasks with their automatic restarts
     * @param autoRestart whether failed tasks are restarted automatically, and by this instance
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "StatusConnectors")
    public record Connectors(boolean available, @Nullable String error, List<ConnectorView> items,
            @Nullable AutoRestart autoRestart) {
    }

    /**
     * The automatic restart of failed connector tasks by streams-app.
     *
     * @param enabled     whether this instance runs the restarter (off where an operator restarts, as in k8s)
     * @param active      whether this instance is the one that restarts (one instance of the application does)
     * @param maxAttempts restarts of a task before giving up on it
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "StatusAutoRestart")
    public record AutoRestart(boolean enabled, boolean active, int maxAttempts) {

        /** The restarter is not running here. */
        public static final AutoRestart OFF = new AutoRestart(false, false, 0);
    }

    /**
     * The lake compaction.
     *
     * @param enabled       whether it is configured on this instance
     * @param running       id of the run in progress
     * @param lastRun       id of the last finished run
     * @param lastStatus    how it ended
     * @param lastFinished  when, ISO-8601
     * @param lastError     why it failed
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "StatusCompaction")
    public record Compaction(boolean enabled, @Nullable Long running, @Nullable Long lastRun,
            @Nullable String lastStatus, @Nullable String lastFinished, @Nullable String lastError) {
    }
}
