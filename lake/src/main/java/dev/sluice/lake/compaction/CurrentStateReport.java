package dev.sluice.lake.compaction;

import java.time.Instant;
import java.util.List;

/**
 * What one current-state run did.
 *
 * @param startedAt   when it started
 * @param finishedAt  when it ended
 * @param snapshots   the snapshots where something happened (published, replaced, expired, waiting, failed…)
 * @param interrupted whether the run was stopped before it looked at every topic
 * @param error       why the run could not go on (e.g. listing the bucket failed); null otherwise
 */
public record CurrentStateReport(Instant startedAt, Instant finishedAt, List<CurrentStateResult> snapshots,
                                 boolean interrupted, String error) {

    public CurrentStateReport {
        snapshots = List.copyOf(snapshots);
    }

    /** Snapshots with the given outcome. */
    public long count(CurrentStateResult.Outcome outcome) {
        return snapshots.stream().filter(s -> s.outcome() == outcome).count();
    }

    /** Whether every snapshot went through without error. */
    public boolean succeeded() {
        return error == null && !interrupted && count(CurrentStateResult.Outcome.FAILED) == 0;
    }
}
