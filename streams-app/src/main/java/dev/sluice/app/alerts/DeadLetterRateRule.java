package dev.sluice.app.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import dev.sluice.app.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dead-letter-rate}: this instance wrote more than the threshold dead letters per minute since the previous
 * evaluation (from {@value PipelineMetrics#DLQ}); sustained for the for-duration, it fires.
 */
class DeadLetterRateRule extends ThresholdRule<Double> {

    static final String NAME = "dead-letter-rate";

    private final MeterRegistry registry;
    private Instant lastAt;
    private double lastCount;

    DeadLetterRateRule(MeterRegistry registry, double perMinute) {
        super(NAME, Scope.INSTANCE, perMinute);
        this.registry = registry;
    }

    /** The rate per minute since the previous evaluation; none at the first, or when no time has passed. */
    @Override
    synchronized Map<Map<String, String>, Double> readings(Instant now) {
        double count = registry.find(PipelineMetrics.DLQ).counters().stream().mapToDouble(Counter::count).sum();
        Instant previous = lastAt;
        double previousCount = lastCount;
        lastAt = now;
        lastCount = count;
        if (previous == null || !now.isAfter(previous)) {
            return Map.of();
        }
        double minutes = Duration.between(previous, now).toMillis() / 60_000.0;
        return Map.of(Map.of(), (count - previousCount) / minutes);
    }

    @Override
    String summary(Map<String, String> labels, Double rate) {
        return String.format(Locale.ROOT, "%.1f dead letters per minute (threshold %.1f)", rate, threshold());
    }
}
