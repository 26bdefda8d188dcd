package dev.sluice.app.dataset.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.freshness.FreshnessView;
import dev.sluice.app.status.DeadLetterCounts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a dataset's records did, from the metrics and monitors the pipeline keeps anyway (nothing is counted per
 * record for this view). Record counts and freshness are this instance's since it started; the dead letters are what
 * the dead-letter topics hold, the same on every instance.
 *
 * @param recordsIn   bronze records this instance decoded or tried to (stage deserialize, entity = the dataset)
 * @param silverOut   records this instance wrote to the silver topic (mapped rows and tombstones)
 * @param deadLetters dead letters of the stages that read the dataset's bronze or silver topic, by stage, code and
 *                    rule; null when the dead-letter monitor is off or Kafka is not configured
 * @param freshness   latency from the source per layer and the dataset's SLA, as this instance measured it
 * @param lake        lake publications of the dataset's topics, as the lake freshness reader saw them
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DatasetStatus")
public record DatasetStatus(long recordsIn, long silverOut, @Nullable DeadLetterCounts deadLetters,
        List<FreshnessView.Entry> freshness, Lake lake) {

    /**
     * The dataset in the lake.
     *
     * @param zones         the zones whose sinks take the dataset (from the specification)
     * @param commits       sink commits that published files of the dataset, measured by this instance while it
     *                      read the sinks' commits (the leader does)
     * @param lastPublished when the last one was measured, ISO-8601; null before the first
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "DatasetLake")
    public record Lake(List<String> zones, long commits, @Nullable String lastPublished) {
    }
}
