package dev.sluice.app.freshness;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The freshness SLAs ({@code sluice.freshness.*}): {@code default-sla} (5m) for every dataset, and
 * {@code sla.<dataset>} for one dataset (e.g. {@code sla.orders: 2m}), where the dataset is the {@code dataset} tag
 * of {@value FreshnessMetrics#NAME}. An SLA bounds the recent p99 latency from the source to every layer.
 */
@ConfigurationProperties("sluice.freshness")
public class FreshnessSettings {

    private Duration defaultSla = Duration.ofMinutes(5);
    private Map<String, Duration> sla = new TreeMap<>();

    public Duration getDefaultSla() {
        return defaultSla;
    }

    public void setDefaultSla(Duration defaultSla) {
        this.defaultSla = positive("sluice.freshness.default-sla", defaultSla);
    }

    public Map<String, Duration> getSla() {
        return sla;
    }

    public void setSla(Map<String, Duration> sla) {
        Map<String, Duration> checked = new TreeMap<>();
        sla.forEach((dataset, duration) -> checked.put(dataset, positive("sluice.freshness.sla." + dataset,
                duration)));
        this.sla = checked;
    }

    /** The SLA of {@code dataset}: its own, else the default. */
    public Duration slaOf(String dataset) {
        return sla.getOrDefault(dataset, defaultSla);
    }

    private static Duration positive(String key, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(key + ": must be a positive duration such as 5m");
        }
        return duration;
    }
}
