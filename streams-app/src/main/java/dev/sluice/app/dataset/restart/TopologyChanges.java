package dev.sluice.app.dataset.restart;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.InvalidDatasetException;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * Tells whether the running topology still matches the dataset directory. The topology is built once, at start, from
 * the specifications then in the directory; a change through the API, through another instance sharing the
 * directory, or by hand makes the directory's fingerprint differ from the running one. This instance then reports
 * {@code pending-restart} with {@code sluice.datasets.restart-command}, or with {@code sluice.datasets.apply=restart}
 * restarts itself ({@link StreamsRestart}). The directory is compared after every change made through this instance
 * and every {@code sluice.datasets.poll-interval}; one log line per change of state.
 */
@Context
public class TopologyChanges {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyChanges.class);

    private final String running;
    private final Supplier<String> directory;
    private final DatasetApplySettings settings;
    private final StreamsRestart restart;
    private final ScheduledFuture<?> polling;
    private RestartState last;

    public TopologyChanges(DatasetDirectory datasets, DatasetApplySettings settings, StreamsRestart restart,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.running = startFingerprint(datasets);
        this.directory = datasets::fingerprint;
        this.settings = settings;
        this.restart = restart;
        this.last = new RestartState(RestartState.RUNNING, mode(), null, running, running, null);
        Duration interval = settings.getPollInterval();
        this.polling = scheduler.scheduleWithFixedDelay(interval, interval, this::check);
    }

    /**
     * The fingerprint of the directory the topology is built from at start. Loading first seeds an empty directory
     * with the built-in specifications, as the topology's own load does, whichever of the two runs first; otherwise
     * a fresh installation would look changed the moment it started.
     */
    private static String startFingerprint(DatasetDirectory datasets) {
        try {
            datasets.load();
        } catch (InvalidDatasetException | UncheckedIOException e) {
            // The topology reports a wrong or unreadable file when it loads the directory; not this bean's to fail.
        }
        return datasets.fingerprint();
    }

    /** Reads the directory now and returns the state; restarts when it changed and the instance applies itself. */
    public synchronized RestartState check() {
        String current;
        try {
            current = directory.get();
        } catch (UncheckedIOException | IllegalStateException e) {
            // Keep the last known state and say why it may be stale; the scheduler would drop a task that throws.
            RestartState stale = new RestartState(last.state(), mode(), last.restartCommand(), running, null,
                    e.getMessage());
            if (last.error() == null) {
                LOG.warn("dataset directory cannot be read, pending-restart detection is stale: {}", e.getMessage());
            }
            last = stale;
            return stale;
        }
        boolean changed = !running.equals(current);
        RestartState now;
        if (!changed) {
            now = new RestartState(RestartState.RUNNING, mode(), null, running, current, null);
        } else if (settings.getApply() == ApplyMode.RESTART) {
            now = new RestartState(RestartState.RESTARTING, mode(), null, running, current, null);
        } else {
            now = new RestartState(RestartState.PENDING_RESTART, mode(), settings.getRestartCommand(), running,
                    current, null);
        }
        if (!now.state().equals(last.state()) || !current.equals(last.directory())) {
            LOG.info("datasets: {} (running topology {}, directory {}){}", now.state(), abbreviate(running),
                    abbreviate(current), now.restartCommand() == null ? "" : "; apply with: " + now.restartCommand());
        }
        last = now;
        if (RestartState.RESTARTING.equals(now.state())) {
            restart.restart("the dataset directory changed (fingerprint " + abbreviate(current) + ")");
        }
        return now;
    }

    /** The state as last checked, without reading the directory. */
    public synchronized RestartState state() {
        return last;
    }

    private String mode() {
        return settings.getApply().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }

    @PreDestroy
    void stop() {
        polling.cancel(false);
    }
}
