package dev.sluice.app.kafka;

import dev.sluice.app.dlq.OutageExceptionHandler;
import io.micronaut.configuration.kafka.streams.event.BeforeKafkaStreamStart;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Installs {@link OutageExceptionHandler} on the Kafka Streams client before it starts: a stream thread stopped by
 * a registry outage is replaced, so processing resumes by itself when the registry is back, instead of the whole
 * client ending in ERROR until a restart.
 */
@Singleton
@Requires(property = "kafka.enabled", notEquals = "false")
public class ThreadReplacement {

    @EventListener
    void beforeStart(BeforeKafkaStreamStart event) {
        event.getKafkaStreams().setUncaughtExceptionHandler(new OutageExceptionHandler());
    }
}
