package dev.sluice.app.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.metrics.PipelineMetrics;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * The connectors from Kafka Connect, one call at a time, reused for {@code sluice.status.cache-ttl} after it
 * started: a Connect that hangs (up to its request timeout) is not asked again by every status poll meanwhile,
 * each holding a thread. The status API and the connector restarter share it. Asynchronous, so that a caller can
 * bound its own wait.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class ConnectorsCall {

    private final ConnectorService connectors;
    private final PipelineMetrics metrics;
    private final ExecutorService blocking;
    private final Duration cacheTtl;
    private final Clock clock;
    /** The last Connect call (in flight or done) and when it started; guarded by this. */
    private CompletableFuture<PipelineStatus.Connectors> call;
    private Instant callAt;

    public ConnectorsCall(ConnectorService connectors, PipelineMetrics metrics,
            @Named(TaskExecutors.BLOCKING) ExecutorService blocking, StatusSettings settings,
            Clock clock) {
        this.connectors = connectors;
        this.metrics = metrics;
        this.blocking = blocking;
        this.cacheTtl = settings.getCacheTtl();
        this.clock = clock;
    }

    /** The call in flight, or the last one while it is younger than the TTL, or a new one. */
    public synchronized CompletableFuture<PipelineStatus.Connectors> current() {
        Instant now = clock.instant();
        if (call == null || call.isDone() && !now.isBefore(callAt.plus(cacheTtl))) {
            metrics.statusCall("connectors");
            callAt = now;
            call = CompletableFuture.supplyAsync(() -> new PipelineStatus.Connectors(true, null,
                    connectors.list(), null), blocking);
        }
        return call;
    }
}
