package dev.sluice.app.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.sluice.app.metrics.PipelineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dead-letter-rate}: this instance wrote more than the threshold dead letters per minute since the previous
 * evaluation (from {@value PipelineMetrics#DLQ}); sustained for the for-duration, it fires.
 */
class DeadLetterRateRule implements AlertRule {

    static final String NAME = "dead-letter-rate";

    private final MeterRegistry registry;
    private final double perMinute;
    private Instant lastAt;
    private double lastCount;

    DeadLetterRateRule(MeterRegistry registry, double perMinute) {
        this.registry = registry;
        this.perMinute = perMinute;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Scope scope() {
        return Scope.INSTANCE;
    }

    @Override
    public synchronized List<Finding> check(Instant now) {
        double count = registry.find(PipelineMetrics.DLQ).counters().stream().mapToDouble(Counter::count).sum();
        Instant previous = lastAt;
        double previousCount = lastCount;
        lastAt = now;
        lastCount = count;
        if (previous == null || !now.isAfter(previous)) {
            return List.of();
        }
        double minutes = Duration.between(previous, now).toMillis() / 60_000.0;
        double rate = (count - previousCount) / minutes;
        return rate > perMinute ? List.of(new Finding(Map.of(), String.format(java.util.Locale.ROOT,
                "%.1f dead letters per minute (threshold %.1f)", rate, perMinute))) : List.of();
    }
}
