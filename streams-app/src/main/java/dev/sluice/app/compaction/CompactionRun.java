package dev.sluice.app.compaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.lake.compaction.CompactionRunReport;
import dev.sluice.lake.compaction.CurrentStateReport;
import dev.sluice.lake.compaction.CurrentStateResult;
import dev.sluice.lake.compaction.PartitionResult;

/** The state of one run, updated by the thread running it and read by the API. */
final class CompactionRun {

    private final long id;
    private final RunView.Trigger trigger;
    private final Instant startedAt;
    private final List<PartitionResult> partitions = new ArrayList<>();
    /** Null when current-state snapshots are not enabled. */
    private final List<CurrentStateResult> snapshots;
    private String snapshotError;
    private RunView.Status status = RunView.Status.RUNNING;
    private Instant finishedAt;
    private int examined;
    private String error;

    CompactionRun(long id, RunView.Trigger trigger, Instant startedAt, boolean withCurrentState) {
        this.id = id;
        this.trigger = trigger;
        this.startedAt = startedAt;
        this.snapshots = withCurrentState ? new ArrayList<>() : null;
    }

    long id() {
        return id;
    }

    synchronized void progress(PartitionResult result) {
        partitions.add(result);
    }

    synchronized void snapshotProgress(CurrentStateResult result) {
        snapshots.add(result);
    }

    /** Ends the run; {@code currentState} is null when snapshots are not enabled or the compaction was interrupted. */
    synchronized void finish(CompactionRunReport report, CurrentStateReport currentState, Instant now) {
        partitions.clear();
        partitions.addAll(report.partitions());
        examined = report.partitionsExamined();
        error = report.error();
        boolean interrupted = report.interrupted();
        boolean succeeded = report.succeeded();
        if (currentState != null) {
            snapshots.clear();
            snapshots.addAll(currentState.snapshots());
            snapshotError = currentState.error();
            interrupted |= currentState.interrupted();
            succeeded &= currentState.succeeded();
        }
        status = interrupted ? RunView.Status.INTERRUPTED
                : succeeded ? RunView.Status.SUCCEEDED : RunView.Status.FAILED;
        finishedAt = now;
    }

    synchronized void fail(String message, Instant now) {
        error = message;
        status = RunView.Status.FAILED;
        finishedAt = now;
    }

    synchronized boolean running() {
        return status == RunView.Status.RUNNING;
    }

    synchronized RunView view(Instant now) {
        List<RunView.PartitionView> views = partitions.stream().map(RunView.PartitionView::of).toList();
        return new RunView(id, trigger, status, startedAt, finishedAt,
                Duration.between(startedAt, finishedAt == null ? now : finishedAt).toMillis(), examined,
                count(PartitionResult.Outcome.COMPACTED), count(PartitionResult.Outcome.FAILED),
                count(PartitionResult.Outcome.CONFLICT),
                partitions.stream().mapToLong(PartitionResult::filesBefore).sum(),
                partitions.stream().mapToLong(PartitionResult::filesAfter).sum(),
                partitions.stream().mapToLong(PartitionResult::bytesBefore).sum(),
                partitions.stream().mapToLong(PartitionResult::bytesAfter).sum(), error, views,
                snapshots == null ? null : CurrentStateView.of(snapshots, snapshotError));
    }

    private long count(PartitionResult.Outcome outcome) {
        return partitions.stream().filter(p -> p.outcome() == outcome).count();
    }
}
