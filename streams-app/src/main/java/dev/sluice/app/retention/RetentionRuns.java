package dev.sluice.app.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
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

import dev.sluice.app.compaction.CompactionRunFinished;
import dev.sluice.lake.retention.JanitorReport;
import dev.sluice.lake.retention.LakeJanitor;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;

/**
 * Starts janitor runs, one at a time, on a thread of their own: after every compaction run and on request. A
 * trigger while a run is in progress starts nothing (the next compaction run brings the next chance). Remembers
 * the last runs for the API and counts what they deleted. Created at start-up, so that invalid settings stop the
 * service with a message naming the key.
 */
@Context
@Requires(property = "sluice.compaction.enabled", value = "true")
@Requires(property = "sluice.compaction.retention.enabled", value = "true")
public class RetentionRuns {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionRuns.class);
    /**
     * How long a computed plan answers {@code GET /api/lake/retention}: computing it walks every hour directory of
     * the lake, which an open read endpoint must not do per request.
     */
    static final Duration PLAN_REUSE = Duration.ofSeconds(30);

    private final LakeJanitor janitor;
    private final RetentionConfiguration configuration;
    private final RetentionMetrics metrics;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-retention");
        thread.setDaemon(true);
        return thread;
    });
    private final Deque<RetentionRun> history = new ArrayDeque<>();
    private RetentionRun current;
    private long lastId;
    /** The last plan and when it was computed; guarded by {@link #planLock}, dropped when a run finishes. */
    private final Object planLock = new Object();
    private ReportView plan;
    private Instant planAt;

    public RetentionRuns(LakeJanitor janitor, RetentionConfiguration configuration, RetentionMetrics metrics,
            Clock clock) {
        this.janitor = janitor;
        this.configuration = configuration;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The janitor, for its settings. */
    public LakeJanitor janitor() {
        return janitor;
    }

    /** Whether runs only report unless told otherwise ({@code sluice.compaction.retention.dry-run}). */
    public boolean dryRunByDefault() {
        return configuration.isDryRun();
    }

    /** A compaction run ended: retention runs with it, dry or not as configured. */
    @EventListener
    void onCompactionFinished(CompactionRunFinished event) {
        start(RetentionRunView.Trigger.COMPACTION, dryRunByDefault());
    }

    /** Starts a run unless one is in progress; empty if one is. */
    public synchronized Optional<RetentionRunView> start(RetentionRunView.Trigger trigger, boolean dryRun) {
        if (current != null && current.running()) {
            LOG.info("lake retention trigger ignored trigger={} running={}", trigger, current.id());
            return Optional.empty();
        }
        RetentionRun run = new RetentionRun(++lastId, trigger, dryRun, clock.instant());
        current = run;
        history.addFirst(run);
        while (history.size() > Math.max(1, configuration.getHistorySize())) {
            history.removeLast();
        }
        executor.execute(() -> execute(run));
        return Optional.of(run.view());
    }

    private void execute(RetentionRun run) {
        try {
            JanitorReport report = janitor.run(run.dryRun());
            run.finish(report, clock.instant());
            metrics.record(report);
        } catch (RuntimeException e) {
            LOG.error("lake retention run failed id={}", run.id(), e);
            run.fail("the run failed unexpectedly: " + e, clock.instant());
        } finally {
            synchronized (planLock) {
                plan = null;
            }
        }
    }

    /**
     * What a run would delete now: a dry run on the caller's thread, or the one computed less than
     * {@link #PLAN_REUSE} ago (and before the last run finished).
     */
    public ReportView plan() {
        synchronized (planLock) {
            Instant now = clock.instant();
            if (plan == null || !now.isBefore(planAt.plus(PLAN_REUSE))) {
                plan = ReportView.of(janitor.run(true));
                planAt = now;
            }
            return plan;
        }
    }

    /** The last runs, newest first, the one in progress included. */
    public synchronized List<RetentionRunView> history() {
        List<RetentionRunView> views = new ArrayList<>();
        history.forEach(run -> views.add(run.view()));
        return views;
    }

    /** One remembered run. */
    public synchronized Optional<RetentionRunView> find(long id) {
        return history.stream().filter(run -> run.id() == id).findFirst().map(RetentionRun::view);
    }

    /** Interrupts a run in progress; it stops after its current partition, which is safe at any point. */
    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("lake retention run still busy at shutdown; the next run finishes its work");
        }
    }
}
