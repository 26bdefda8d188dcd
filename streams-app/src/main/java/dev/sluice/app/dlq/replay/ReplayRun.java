package dev.sluice.app.dlq.replay;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a redrive did (or, dry, would do): of the dead letters it selected, how many it re-produced into their
 * source topics, how many had been redriven before, and how many cannot be redriven, by reason.
 *
 * @param id              the run; null for a dry run (nothing is recorded)
 * @param startedAt       when it ran, ISO-8601
 * @param dryRun          whether it only counted
 * @param selected        dead letters selected
 * @param replayed        re-produced by this run (for a dry run: that would be)
 * @param alreadyReplayed skipped: redriven by an earlier run
 * @param notReplayable   skipped: cannot be redriven
 * @param reasons         why, per reason, for those that cannot be redriven
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Replay")
public record ReplayRun(@Nullable String id, String startedAt, boolean dryRun, int selected, int replayed,
        int alreadyReplayed, int notReplayable, Map<String, Integer> reasons) {
}
