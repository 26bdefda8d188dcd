package dev.sluice.app.freshness;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;

/**
 * The freshness SLAs from the configuration and the {@link DatasetSlas} (the dataset specifications); a changed
 * {@code freshness.sla} counts from the next start, like the rest of a specification the topology reads.
 */
@Factory
class FreshnessBeans {

    /** Read raw: bound as a map, Micronaut would turn the dataset {@code user_events} into {@code user-events}. */
    @Singleton
    FreshnessSettings freshnessSettings(Environment environment, List<DatasetSlas> datasets) {
        Map<String, Duration> specSlas = new TreeMap<>();
        datasets.forEach(source -> specSlas.putAll(source.slas()));
        return FreshnessSettings.parse(environment.getProperties("sluice.freshness", StringConvention.RAW))
                .withDatasetSlas(specSlas);
    }
}
