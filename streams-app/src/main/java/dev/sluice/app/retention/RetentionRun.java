package dev.sluice.app.retention;

import java.time.Instant;
import java.util.List;

import dev.sluice.lake.retention.JanitorReport;

/** The state of one janitor run, updated by the thread running it and read by the API. */
final class RetentionRun {

    private final long id;
    private final RetentionRunView.Trigger trigger;
    private final boolean dryRun;
    private final Instant startedAt;
    private RetentionRunView.Status status = RetentionRunView.Status.RUNNING;
    private Instant finishedAt;
    private ReportView result;

    RetentionRun(long id, RetentionRunView.Trigger trigger, boolean dryRun, Instant startedAt) {
        this.id = id;
        this.trigger = trigger;
        this.dryRun = dryRun;
        this.startedAt = startedAt;
    }

    long id() {
        return id;
    }

    boolean dryRun() {
        return dryRun;
    }

    synchronized void finish(JanitorReport report, Instant now) {
        result = ReportView.of(report);
        status = report.succeeded() ? RetentionRunView.Status.SUCCEEDED : RetentionRunView.Status.FAILED;
        finishedAt = now;
    }

    synchronized void fail(String message, Instant now) {
        result = new ReportView(startedAt, dryRun, 0, 0, 0, 0, 0, message, List.of(), List.of());
        status = RetentionRunView.Status.FAILED;
        finishedAt = now;
    }

    synchronized boolean running() {
        return status == RetentionRunView.Status.RUNNING;
    }

    synchronized RetentionRunView view() {
        return new RetentionRunView(id, trigger, dryRun, status, startedAt, finishedAt, result);
    }
}
