package dev.sluice.app.freshness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

/**
 * End-to-end latency from a record's {@link SourceTime} to each {@link Layer}, per dataset: the timer
 * {@value #NAME} {layer, dataset}, in Prometheus {@code sluice_freshness_seconds_bucket/_count/_sum/_max} with the
 * buckets {@link #BUCKETS}, and the p50/p99 of the last {@link #WINDOW} for the status API. Every time it reads
 * (the wall clock at a silver or gold write, the recency of a measurement, the window's decay) comes from the
 * registry's clock, so one clock governs it and tests move it.
 */
public final class FreshnessMetrics {

    public static final String NAME = "sluice.freshness";
    /** How far back the status API's percentiles and "recent" look. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Histogram buckets (le), chosen so that common SLAs (1m, 5m, 15m, 1h) are bucket bounds. */
    public static final List<Duration> BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1));
    private static final int WINDOW_SLICES = 5;

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Key, Measured> measured = new ConcurrentHashMap<>();

    private record Key(Layer layer, String dataset) {
    }

    private record Measured(Timer timer, AtomicLong lastAt) {
    }

    /**
     * What the last {@link #WINDOW} says about one dataset at one layer.
     *
     * @param count      measurements since the start (cumulative)
     * @param lastAt     epoch milliseconds of the last measurement
     * @param recent     whether that was within the window; if not, the percentiles say nothing
     */
    public record Reading(Layer layer, String dataset, double p50Seconds, double p99Seconds, double maxSeconds,
            long count, long lastAt, boolean recent) {
    }

    public FreshnessMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.clock = registry.config().clock();
    }

    /** The {@code dataset} tag of the records of {@code topic}: its last dot-separated part (silver.orders: orders). */
    public static String datasetOf(String topic) {
        return topic.substring(topic.lastIndexOf('.') + 1);
    }

    /** The wall clock, epoch milliseconds. */
    public long now() {
        return clock.wallTime();
    }

    /**
     * Records that a record of {@code dataset} with source time {@code sourceMillis} reached {@code layer} at
     * {@code atMillis}. A source clock ahead of ours counts as zero latency, not as a negative one.
     */
    public void record(Layer layer, String dataset, long sourceMillis, long atMillis) {
        Measured m = measured.get(new Key(layer, dataset));
        if (m == null) {
            m = measured.computeIfAbsent(new Key(layer, dataset), this::register);
        }
        m.timer().record(Math.max(0, atMillis - sourceMillis), TimeUnit.MILLISECONDS);
        m.lastAt().set(now());
    }

    /** The timer of {@code dataset} at {@code layer}; null before its first measurement. */
    public Timer timer(Layer layer, String dataset) {
        Measured m = measured.get(new Key(layer, dataset));
        return m == null ? null : m.timer();
    }

    /** Every dataset and layer measured so far, by dataset then layer. */
    public List<Reading> readings() {
        long now = now();
        List<Reading> readings = new ArrayList<>();
        measured.forEach((key, m) -> {
            HistogramSnapshot snapshot = m.timer().takeSnapshot();
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile value : snapshot.percentileValues()) {
                if (value.percentile() == 0.5) {
                    p50 = value.value(TimeUnit.SECONDS);
                } else if (value.percentile() == 0.99) {
                    p99 = value.value(TimeUnit.SECONDS);
                }
            }
            long lastAt = m.lastAt().get();
            readings.add(new Reading(key.layer(), key.dataset(), p50, p99, snapshot.max(TimeUnit.SECONDS),
                    snapshot.count(), lastAt, now - lastAt < WINDOW.toMillis()));
        });
        readings.sort(Comparator.comparing(Reading::dataset).thenComparing(Reading::layer));
        return readings;
    }

    private Measured register(Key key) {
        Timer timer = Timer.builder(NAME)
                .description("Latency from the source commit or event time to the layer")
                .tags("layer", key.layer().id(), "dataset", key.dataset())
                .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(WINDOW)
                .distributionStatisticBufferLength(WINDOW_SLICES)
                .register(registry);
        return new Measured(timer, new AtomicLong());
    }
}
