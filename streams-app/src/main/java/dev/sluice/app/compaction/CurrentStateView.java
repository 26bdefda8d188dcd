package dev.sluice.app.compaction;

import java.util.List;

import dev.sluice.lake.compaction.CurrentStateResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a run did to the current-state snapshots (docs/lake/current-state.md).
 *
 * @param published snapshots of hours that had none
 * @param replaced  snapshots rebuilt because their inputs changed
 * @param expired   snapshots deleted after the retention
 * @param failed    snapshots that failed (the later hours of their topic wait)
 * @param error     why the snapshots could not go on, if they did not
 * @param snapshots every snapshot where something happened
 */
@Serdeable
@Schema(name = "CurrentStateRun")
public record CurrentStateView(long published, long replaced, long expired, long failed, @Nullable String error,
        List<SnapshotView> snapshots) {

    /**
     * One snapshot.
     *
     * @param snapshot     {@code prefix-current/topic/year=…/hour=…}
     * @param outcome      PUBLISHED, REPLACED, UNCHANGED (files cleaned up), EXPIRED, WAITING, CONFLICT or FAILED
     * @param detail       the error, or why it waits
     * @param rowsIn       rows read (previous snapshot and the hour's changes)
     * @param keys         rows published, one per key
     * @param deletedKeys  keys whose latest row is a delete, kept for the next hour
     * @param outputFiles  files written
     * @param outputBytes  their size
     * @param deletedFiles files deleted
     * @param durationMs   time taken
     */
    @Serdeable
    @Schema(name = "CurrentStateSnapshot")
    public record SnapshotView(String snapshot, CurrentStateResult.Outcome outcome, @Nullable String detail,
            long rowsIn, long keys, long deletedKeys, int outputFiles, long outputBytes, int deletedFiles,
            long durationMs) {

        static SnapshotView of(CurrentStateResult r) {
            return new SnapshotView(r.snapshot(), r.outcome(), r.detail(), r.rowsIn(), r.keys(), r.deletedKeys(),
                    r.outputFiles(), r.outputBytes(), r.deletedFiles(), r.duration().toMillis());
        }
    }

    static CurrentStateView of(List<CurrentStateResult> results, @Nullable String error) {
        return new CurrentStateView(count(results, CurrentStateResult.Outcome.PUBLISHED),
                count(results, CurrentStateResult.Outcome.REPLACED), count(results, CurrentStateResult.Outcome.EXPIRED),
                count(results, CurrentStateResult.Outcome.FAILED), error,
                results.stream().map(SnapshotView::of).toList());
    }

    private static long count(List<CurrentStateResult> results, CurrentStateResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }
}
