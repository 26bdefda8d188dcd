package dev.sluice.devstack.supervise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.slf4j.Logger;

import dev.sluice.devstack.terminal.Terminal;
import dev.sluice.embedded.ServerProcess;

/**
 * Keeps the platform's child processes alive: when one dies it is reported in one line and started again after a
 * backoff ({@link RestartPolicy}); a child that keeps dying is given up on with the reason and its log file named,
 * while the rest of the platform runs on. A child that exits with {@link #RESTART_EXIT_CODE} asked for a restart and is
 * started again at once, without counting against the budget. Every line goes to the terminal and {@code platform.log}.
 */
public final class Supervisor implements AutoCloseable {

    /**
     * The exit code of a child that ended on purpose to be started again (EX_TEMPFAIL): streams-app exits with it to
     * apply changed datasets to its topology ({@code dev.sluice.app.dataset.restart.StreamsRestart}).
     */
    public static final int RESTART_EXIT_CODE = 75;

    /** Deaths, restarts and give-ups are state changes: the terminal shows them (and platform.log keeps them). */
    private static final Logger LOG = Terminal.LOG;

    private final RestartPolicy policy;
    private final Clock clock;
    private final BiConsumer<String, ServerProcess> onStart;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    /**
     * @param onStart told of every restarted process (the launcher records its pid in the state directory)
     */
    public Supervisor(RestartPolicy policy, Clock clock, BiConsumer<String, ServerProcess> onStart) {
        this.policy = policy;
        this.clock = clock;
        this.onStart = onStart;
        // One thread per supervised child at most: restarts of different children do not wait for each other.
        this.scheduler = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "sluice-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Supervises {@code component}, already started as {@code first}; {@code starter} starts it again (on the same
     * ports and state) and returns once it answers, or throws.
     */
    public <T extends ServerProcess> Supervised<T> supervise(String component, T first, Supplier<T> starter) {
        Supervised<T> child = new Supervised<>(component, first, starter, new RestartHistory(policy, clock));
        watch(child, first);
        return child;
    }

    private <T extends ServerProcess> void watch(Supervised<T> child, T process) {
        process.processHandle().onExit().thenRunAsync(() -> died(child, process), scheduler);
    }

    private <T extends ServerProcess> void died(Supervised<T> child, T dead) {
        if (closed || !child.died(dead)) {
            return;
        }
        String exit = dead.exitCode().isPresent() ? " with exit code " + dead.exitCode().getAsInt() : "";
        boolean asked = dead.exitCode().isPresent() && dead.exitCode().getAsInt() == RESTART_EXIT_CODE;
        // Release what the dead process still holds in this JVM (a lock on PostgreSQL's data directory, a client).
        dead.close();
        if (asked) {
            LOG.info("{} (pid {}) exited to be restarted (exit code {}); starting it again", child.component(),
                    dead.processHandle().pid(), RESTART_EXIT_CODE);
            try {
                scheduler.execute(() -> restart(child, dead.logFile().toString()));
            } catch (RejectedExecutionException e) {
                // Closed meanwhile: the platform is stopping.
            }
            return;
        }
        scheduleRestart(child, child.component() + " (pid " + dead.processHandle().pid() + ") died" + exit,
                dead.logFile().toString());
    }

    private <T extends ServerProcess> void scheduleRestart(Supervised<T> child, String what, String logFile) {
        Optional<RestartHistory.Attempt> attempt = child.history().next();
        if (attempt.isEmpty()) {
            if (child.gaveUp()) {
                LOG.error("{}; gave up on {} after {} restarts within {}; the rest of the platform runs on without"
                        + " it; see {}", what, child.component(), policy.maxRestarts(), human(policy.window()),
                        logFile);
            }
            return;
        }
        Duration backoff = attempt.get().backoff();
        LOG.warn("{}; restarting it in {} (restart {} of at most {} within {}); its log: {}", what, human(backoff),
                attempt.get().number(), policy.maxRestarts(), human(policy.window()), logFile);
        try {
            scheduler.schedule(() -> restart(child, logFile), backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the platform is stopping.
        }
    }

    private <T extends ServerProcess> void restart(Supervised<T> child, String logFile) {
        if (closed || child.stopped()) {
            return;
        }
        Instant begin = clock.instant();
        T fresh;
        try {
            fresh = child.starter().get();
        } catch (RuntimeException e) {
            if (!closed && !child.stopped()) {
                scheduleRestart(child, child.component() + " did not come back: " + e.getMessage(), logFile);
            }
            return;
        }
        if (closed || !child.replaced(fresh)) {
            fresh.close();
            return;
        }
        onStart.accept(child.component(), fresh);
        LOG.info("{} is back (pid {}) after {}", child.component(), fresh.processHandle().pid(),
                human(Duration.between(begin, clock.instant())));
        watch(child, fresh);
    }

    private static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + " min";
        }
        return String.format("%.1f s", millis / 1000.0);
    }

    /** Stops supervising: children that die from now on stay dead (the platform is stopping). */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }
}
