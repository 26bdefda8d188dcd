package dev.sluice.app.freshness;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.sluice.app.validate.Durations;

/**
 * The freshness SLAs ({@code sluice.freshness.*}): {@code default-sla} (5m) for every dataset, and
 * {@code sla.<dataset>} for one dataset (e.g. {@code sla.orders: 2m}), where the dataset is the {@code dataset} tag
 * of {@value FreshnessMetrics#NAME}. An SLA bounds the recent p99 latency from the source to every layer. A dataset
 * specification's {@code freshness.sla} ({@link #withDatasetSlas}) stands between the two: {@code sla.<dataset>}
 * overrides it, it overrides {@code default-sla}.
 * {@code lake-interval} (15s): how often the {@link dev.sluice.app.status.LakeFreshnessReader} reads the lake sinks' commits.
 */
public final class FreshnessSettings {

    private static final String PREFIX = "sluice.freshness.";
    private static final Duration DEFAULT_SLA = Duration.ofMinutes(5);
    private static final Duration DEFAULT_LAKE_INTERVAL = Duration.ofSeconds(15);

    private final Duration defaultSla;
    private final Map<String, Duration> sla;
    private final Duration lakeInterval;

    private FreshnessSettings(Duration defaultSla, Map<String, Duration> sla, Duration lakeInterval) {
        this.defaultSla = defaultSla;
        this.sla = sla;
        this.lakeInterval = lakeInterval;
    }

    /**
     * The settings from the properties under {@code sluice.freshness}, keys as written ({@code default-sla},
     * {@code sla.<dataset>}).
     *
     * @throws IllegalArgumentException naming the key of an unknown setting or of an SLA that is not a positive
     *                                  duration
     */
    public static FreshnessSettings parse(Map<String, Object> flat) {
        Duration defaultSla = DEFAULT_SLA;
        Duration lakeInterval = DEFAULT_LAKE_INTERVAL;
        Map<String, Duration> sla = new TreeMap<>();
        for (Map.Entry<String, Object> entry : flat.entrySet()) {
            String key = entry.getKey();
            // default.sla: what Micronaut also derives from the environment variable SLUICE_FRESHNESS_DEFAULT_SLA.
            if (key.equals("default-sla") || key.equals("default.sla")) {
                defaultSla = positive(PREFIX + key, entry.getValue());
            } else if (key.equals("lake-interval") || key.equals("lake.interval")) {
                lakeInterval = positive(PREFIX + key, entry.getValue());
            } else if (key.startsWith("sla.") && key.length() > "sla.".length()) {
                sla.put(key.substring("sla.".length()), positive(PREFIX + key, entry.getValue()));
            } else {
                throw new IllegalArgumentException(PREFIX + key + ": unknown setting (default-sla, sla.<dataset>,"
                        + " lake-interval)");
            }
        }
        return new FreshnessSettings(defaultSla, sla, lakeInterval);
    }

    /**
     * These settings with the SLAs of dataset specifications ({@code freshness.sla}) for the datasets that
     * {@code sla.<dataset>} does not name.
     */
    public FreshnessSettings withDatasetSlas(Map<String, Duration> datasetSlas) {
        Map<String, Duration> merged = new TreeMap<>(datasetSlas);
        merged.putAll(sla);
        return new FreshnessSettings(defaultSla, merged, lakeInterval);
    }

    /** The SLA of {@code dataset}: its own, else the default. */
    public Duration slaOf(String dataset) {
        return sla.getOrDefault(dataset, defaultSla);
    }

    /** How often the lake sinks' commits are read. */
    public Duration lakeInterval() {
        return lakeInterval;
    }

    private static Duration positive(String key, Object value) {
        Duration duration = value instanceof Duration d ? d : Durations.parse(String.valueOf(value), key);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(key + ": must be a positive duration such as 5m");
        }
        return duration;
    }
}
