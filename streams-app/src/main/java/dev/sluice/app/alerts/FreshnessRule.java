package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code freshness-sla}: a dataset's data is older than the threshold (seconds), per layer. */
class FreshnessRule implements AlertRule {

    static final String NAME = "freshness-sla";

    private final FreshnessReadings freshness;
    private final double thresholdSeconds;

    FreshnessRule(FreshnessReadings freshness, double thresholdSeconds) {
        this.freshness = freshness;
        this.thresholdSeconds = thresholdSeconds;
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
    public List<Finding> check(Instant now) {
        List<Finding> findings = new ArrayList<>();
        freshness.worstSeconds().forEach((labels, seconds) -> {
            if (seconds > thresholdSeconds) {
                findings.add(new Finding(labels, String.format(Locale.ROOT, "%s %s is %.0f s behind (SLA %.0f s)",
                        labels.get("layer"), labels.get("dataset"), seconds, thresholdSeconds)));
            }
        });
        return findings;
    }
}
