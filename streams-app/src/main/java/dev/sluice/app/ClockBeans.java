package dev.sluice.app;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The one clock of the service: everything that stamps, ages or schedules by wall-clock time takes this bean, so that
 * a test replaces it once to move time without waiting. The dead-letter handlers, which Kafka Streams instantiates,
 * receive it through the streams configuration ({@code dlq.StreamsErrorHandling}).
 */
@Factory
class ClockBeans {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
