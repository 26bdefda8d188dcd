package dev.sluice.app.compaction;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionRunReport;
import dev.sluice.lake.compaction.CurrentStatePublisher;
import dev.sluice.lake.compaction.CurrentStateReport;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Starts compaction runs, one at a time, on a thread of their own, and remembers the last ones. A run compacts, then
 * publishes the current-state snapshots when they are enabled. A trigger while a run is in progress starts nothing (the cron and the API may collide; a second run would only find less to do).
 */
@Singleton
public class CompactionRuns {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionRuns.class);

    private final CompactionEngine engine;
    private final CurrentStatePublisher currentState;
    private final int historySize;
    private final ApplicationEventPublisher<CompactionRunFinished> finished;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-compaction");
        thread.setDaemon(true);
        return thread;
    });
    private final Deque<CompactionRun> history = new ArrayDeque<>();
    private CompactionRun current;
    private long lastId;

    public CompactionRuns(@Nullable CompactionEngine engine, @Nullable CurrentStatePublisher currentState,
            CompactionConfiguration configuration, ApplicationEventPublisher<CompactionRunFinished> finished,
            Clock clock) {
        this.engine = engine;
        this.currentState = currentState;
        this.historySize = Math.max(1, configuration.getHistorySize());
        this.finished = finished;
        this.clock = clock;
    }

    /** Whether compaction is configured ({@code sluice.compaction.enabled}). */
    public boolean enabled() {
        return engine != null;
    }

    /**
     * Starts a run unless one is in progress.
     *
     * @return the new run, or empty when one is already running
     * @throws IllegalStateException when compaction is not enabled
     */
    public synchronized Optional<RunView> start(RunView.Trigger trigger) {
        if (engine == null) {
            throw new IllegalStateException("compaction is not enabled (sluice.compaction.enabled)");
        }
        if (current != null && current.running()) {
            LOG.info("compaction trigger ignored trigger={} running={}", trigger, current.id());
            return Optional.empty();
        }
        CompactionRun run = new CompactionRun(++lastId, trigger, clock.instant(), currentState != null);
        current = run;
        history.addFirst(run);
        while (history.size() > historySize) {
            history.removeLast();
        }
        LOG.info("compaction run started id={} trigger={}", run.id(), trigger);
        executor.execute(() -> execute(run));
        return Optional.of(run.view(clock.instant()));
    }

    private void execute(CompactionRun run) {
        try {
            CompactionRunReport report = engine.run(run::progress);
            // Snapshots after compaction: they are built from the hours' compacted files, so a later compaction
            // does not make them out of date.
            CurrentStateReport snapshots = currentState == null || report.interrupted() ? null
                    : currentState.publish(run::snapshotProgress);
            run.finish(report, snapshots, clock.instant());
        } catch (RuntimeException e) {
            LOG.error("compaction run failed id={}", run.id(), e);
            run.fail("the run failed unexpectedly: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    clock.instant());
        }
        finished.publishEvent(new CompactionRunFinished(run.id()));
    }

    /** The run in progress, if any. */
    public synchronized Optional<RunView> running() {
        return current != null && current.running() ? Optional.of(current.view(clock.instant())) : Optional.empty();
    }

    /** The most recent finished run, if any. */
    public synchronized Optional<RunView> lastFinished() {
        return history.stream().filter(run -> !run.running()).findFirst().map(run -> run.view(clock.instant()));
    }

    /** The last runs, newest first. */
    public synchronized List<RunView> history(int limit) {
        List<RunView> views = new ArrayList<>();
        for (CompactionRun run : history) {
            if (views.size() >= limit) {
                break;
            }
            views.add(run.view(clock.instant()));
        }
        return views;
    }

    /** One remembered run. */
    public synchronized Optional<RunView> find(long id) {
        return history.stream().filter(run -> run.id() == id).findFirst().map(run -> run.view(clock.instant()));
    }

    /** Interrupts a run in progress; it stops after its current partition, which is safe at any point. */
    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("compaction run still busy at shutdown; a later run finishes its work");
        }
    }
}
