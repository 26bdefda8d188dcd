package dev.sluice.app.freshness;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

/** The freshness SLAs from the configuration. */
@Factory
class FreshnessBeans {

    /** Read raw: bound as a map, Micronaut would turn the dataset {@code user_events} into {@code user-events}. */
    @Singleton
    FreshnessSettings freshnessSettings(Environment environment) {
        return FreshnessSettings.parse(environment.getProperties("sluice.freshness", StringConvention.RAW));
    }
}
