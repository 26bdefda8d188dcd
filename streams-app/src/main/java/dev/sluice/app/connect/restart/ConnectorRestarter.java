package dev.sluice.app.connect.restart;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectorView;
import dev.sluice.app.connect.TaskRestarts;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.placement.Leadership;
import dev.sluice.app.status.AutoRestarts;
import dev.sluice.app.status.ConnectorsCall;
import dev.sluice.app.status.PipelineStatus;
import dev.sluice.connect.admin.ConnectRestClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

/**
 * Restarts failed Kafka Connect tasks by themselves, with exponential backoff and a bounded number of attempts
 * ({@link RestartPolicy}). Every {@code sluice.connect.auto-restart.poll-interval} it reads the connectors from
 * the status API's shared, cached call ({@link ConnectorsCall}) and restarts each task that is FAILED and due, with
 * {@code POST /connectors/{name}/tasks/{id}/restart}; connectors that are paused or stopped are left alone.
 *
 * <p>Of several instances only the {@link Leadership leader} restarts, so no task is restarted twice for one
 * failure; during a rebalance nobody restarts for a poll or two. Its attempt counts are in {@code /api/status} of
 * that instance ({@code connectors.autoRestart.active}).
 */
@Context
@Requires(property = "kafka.enabled", notEquals = "false")
@Requires(property = "sluice.connect.auto-restart.enabled", notEquals = "false")
public class ConnectorRestarter implements AutoRestarts {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRestarter.class);

    private final ConnectorsCall connectors;
    private final ConnectRestClient connect;
    private final Leadership leadership;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final RestartPolicy policy;
    private final Duration wait;
    private final ScheduledFuture<?> scheduled;
    private volatile boolean active;
    /** Whether the last poll could not read Connect: its failure is logged once, not every poll. */
    private boolean connectUnavailable;

    public ConnectorRestarter(ConnectorsCall connectors, ConnectRestClient connect, Leadership leadership,
            PipelineMetrics metrics, AutoRestartSettings settings, Clock clock,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.connectors = connectors;
        this.connect = connect;
        this.leadership = leadership;
        this.metrics = metrics;
        this.clock = clock;
        this.policy = new RestartPolicy(settings.limits());
        this.wait = settings.getPollInterval();
        this.scheduled = scheduler.scheduleWithFixedDelay(settings.getPollInterval(), settings.getPollInterval(),
                this::poll);
        LOG.info("connector auto-restart on poll={} initialBackoff={} maxBackoff={} maxAttempts={} healthyAfter={}",
                settings.getPollInterval(), settings.getInitialBackoff(), settings.getMaxBackoff(),
                settings.getMaxAttempts(), settings.getHealthyAfter());
    }

    @Override
    public PipelineStatus.AutoRestart view() {
        return new PipelineStatus.AutoRestart(true, active, policy.limits().maxAttempts());
    }

    @Override
    public Optional<TaskRestarts> restarts(String connector, int task) {
        return policy.restarts(new RestartPolicy.TaskKey(connector, task));
    }

    void poll() {
        try {
            active = leadership.isLeader();
            if (!active) {
                return;
            }
            Optional<List<ConnectorView>> current = read();
            if (current.isEmpty()) {
                return;
            }
            Set<RestartPolicy.TaskKey> present = new HashSet<>();
            for (ConnectorView connector : current.get()) {
                for (ConnectorView.TaskView task : connector.tasks()) {
                    RestartPolicy.TaskKey key = new RestartPolicy.TaskKey(connector.name(), task.id());
                    present.add(key);
                    if (!"PAUSED".equals(connector.state()) && !"STOPPED".equals(connector.state())) {
                        act(key, policy.observe(key, task.state(), clock.instant()), task);
                    }
                }
            }
            policy.retainOnly(present);
        } catch (RuntimeException e) {
            // The scheduler would drop a task that throws: log and carry on at the next poll.
            LOG.warn("connector auto-restart poll failed: {}", e.toString());
        }
    }

    private Optional<List<ConnectorView>> read() {
        try {
            PipelineStatus.Connectors read = connectors.current().get(wait.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (connectUnavailable) {
                LOG.info("connector auto-restart: Kafka Connect answers again");
                connectUnavailable = false;
            }
            return Optional.of(read.items());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            if (!connectUnavailable) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                LOG.warn("connector auto-restart: Kafka Connect unavailable, no restarts until it answers: {}",
                        cause.toString());
                connectUnavailable = true;
            }
            return Optional.empty();
        }
    }

    private void act(RestartPolicy.TaskKey key, RestartPolicy.Decision decision, ConnectorView.TaskView task) {
        TaskRestarts restarts = policy.restarts(key).orElse(null);
        switch (decision) {
            case RESTART -> {
                try {
                    connect.restartTask(key.connector(), key.task());
                    metrics.connectorTaskRestart(key.connector(), key.task());
                    LOG.info("connector task restarted connector={} task={} attempt={}/{} next={} error={}",
                            key.connector(), key.task(), restarts.attempts(), restarts.maxAttempts(),
                            restarts.nextAttempt(), task.error());
                } catch (RuntimeException e) {
                    // Counted as an attempt all the same: a Connect that refuses restarts is not asked in a loop.
                    LOG.warn("connector task restart failed connector={} task={} attempt={}/{} next={}: {}",
                            key.connector(), key.task(), restarts.attempts(), restarts.maxAttempts(),
                            restarts.nextAttempt(), e.getMessage());
                }
            }
            case GIVE_UP -> LOG.warn("connector task still FAILED after {} automatic restarts, giving up "
                    + "(restart it by hand once the cause is fixed) connector={} task={} error={}",
                    restarts.attempts(), key.connector(), key.task(), task.error());
            case NOTHING -> {
            }
        }
    }

    @PreDestroy
    void cancel() {
        scheduled.cancel(false);
    }
}
