package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** {@code freshness-sla}: a dataset's data is older than the threshold (seconds), per layer. */
class FreshnessRule extends ThresholdRule<Double> {

    static final String NAME = "freshness-sla";

    private final FreshnessReadings freshness;

    FreshnessRule(FreshnessReadings freshness, double thresholdSeconds) {
        super(NAME, Scope.INSTANCE, thresholdSeconds);
        this.freshness = freshness;
    }

    @Override
    Map<Map<String, String>, Double> readings(Instant now) {
        return freshness.worstSeconds();
    }

    @Override
    String summary(Map<String, String> labels, Double seconds) {
        return String.format(Locale.ROOT, "%s %s is %.0f s behind (SLA %.0f s)", labels.get("layer"),
                labels.get("dataset"), seconds, threshold());
    }
}
