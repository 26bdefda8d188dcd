package dev.sluice.app.connect.restart;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The clock the connector restarter's backoff runs by (a test may replace it). */
@Factory
class RestartBeans {

    @Singleton
    @Named("auto-restart")
    Clock autoRestartClock() {
        return Clock.systemUTC();
    }
}
