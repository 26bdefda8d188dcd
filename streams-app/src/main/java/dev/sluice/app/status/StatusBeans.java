package dev.sluice.app.status;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The clock the status API's cached answers age by (a test replaces it to move time without waiting). */
@Factory
class StatusBeans {

    @Singleton
    @Named("status")
    Clock statusClock() {
        return Clock.systemUTC();
    }
}
