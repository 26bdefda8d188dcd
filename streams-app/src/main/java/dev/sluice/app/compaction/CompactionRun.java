package dev.sluice.app.compaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.lake.compaction.CompactionRunReport;
import dev.sluice.lake.compaction.PartitionResult;

/** The state of one run, updated by the thread running it and read by the API. */
final class CompactionRun {

    private final long id;
    private final RunView.Trigger trigger;
    private final Instant startedAt;
    private final List<PartitionResult> partitions = new ArrayList<>();
    private RunView.Status status = RunView.Status.RUNNING;
    private Instant finishedAt;
    private int examined;
    private String error;

    CompactionRun(long id, RunView.Trigger trigger, Instant startedAt) {
        this.id = id;
        this.trigger = trigger;
        this.startedAt = startedAt;
    }

    long id() {
        return id;
    }

    synchronized void progress(PartitionResult result) {
        partitions.add(result);
    }

    synchronized void finish(CompactionRunReport report, Instant now) {
        partitions.clear();
        partitions.addAll(report.partitions());
        examined = report.partitionsExamined();
        error = report.error();
        status = report.interrupted() ? RunView.Status.INTERRUPTED
                : report.succeeded() ? RunView.Status.SUCCEEDED : RunView.Status.FAILED;
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
                partitions.stream().mapToLong(PartitionResult::bytesAfter).sum(), error, views);
    }

    private long count(PartitionResult.Outcome outcome) {
        return partitions.stream().filter(p -> p.outcome() == outcome).count();
    }
}
