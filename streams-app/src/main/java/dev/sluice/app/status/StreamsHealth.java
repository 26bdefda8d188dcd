package dev.sluice.app.status;

import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import dev.sluice.app.query.StreamsInstance;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

/**
 * Kubernetes probes of the Kafka Streams instance ({@code /health/liveness}, {@code /health/readiness}).
 * <ul>
 * <li>Liveness is DOWN once the instance failed ({@code ERROR}: a stream thread died of something other than an
 * outage, or the global thread died) or stopped: only a restart brings it back, and restarting is what a failed
 * liveness probe does. A stream thread stopped by an unreachable registry is replaced instead
 * ({@link dev.sluice.app.dlq.OutageExceptionHandler}) and the instance stays alive.</li>
 * <li>Readiness is DOWN until the instance has been {@code RUNNING} (restoring state included), and while it is
 * not running. A later rebalance keeps it ready: rebalances are routine, queries meanwhile are routed or answered
 * 503, and taking every pod out of its Service at each rebalance would only make the API flap.</li>
 * </ul>
 */
public final class StreamsHealth {

    private StreamsHealth() {
    }

    /** The liveness check of the streams. */
    @Singleton
    @Liveness
    @Requires(property = "kafka.enabled", notEquals = "false")
    public static class Alive implements HealthIndicator {

        private final StreamsInstance instance;

        public Alive(StreamsInstance instance) {
            this.instance = instance;
        }

        @Override
        public Publisher<HealthResult> getResult() {
            KafkaStreams.State state = instance.state();
            boolean alive = state == KafkaStreams.State.CREATED || state.isRunningOrRebalancing();
            return Publishers.just(HealthResult.builder("kafkaStreamsAlive", alive ? HealthStatus.UP : HealthStatus.DOWN)
                    .details(Map.of("state", state.name())).build());
        }
    }

    /** The readiness check of the streams. */
    @Singleton
    @Readiness
    @Requires(property = "kafka.enabled", notEquals = "false")
    public static class Ready implements HealthIndicator {

        private final StreamsInstance instance;
        private volatile boolean wasRunning;

        public Ready(StreamsInstance instance) {
            this.instance = instance;
        }

        @Override
        public Publisher<HealthResult> getResult() {
            KafkaStreams.State state = instance.state();
            wasRunning |= state == KafkaStreams.State.RUNNING;
            boolean ready = state == KafkaStreams.State.RUNNING
                    || state == KafkaStreams.State.REBALANCING && wasRunning;
            return Publishers.just(HealthResult.builder("kafkaStreamsReady", ready ? HealthStatus.UP : HealthStatus.DOWN)
                    .details(Map.of("state", state.name(), "runningSinceStart", wasRunning)).build());
        }
    }
}
