package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rule that finds every reading above its threshold, one finding per reading's labels. How long a breach must
 * last before it fires is the for-duration the {@link AlertBook} applies to every rule.
 *
 * @param <N> what a reading is measured in
 */
abstract class ThresholdRule<N extends Number> extends NamedRule {

    private final double threshold;

    ThresholdRule(String name, Scope scope, double threshold) {
        super(name, scope);
        this.threshold = threshold;
    }

    /** The readings of this evaluation by their labels; throws when what the rule watches cannot be read. */
    abstract Map<Map<String, String>, N> readings(Instant now);

    /** The summary of a finding: the reading with these labels is above the threshold. */
    abstract String summary(Map<String, String> labels, N reading);

    final double threshold() {
        return threshold;
    }

    @Override
    public List<Finding> check(Instant now) {
        List<Finding> findings = new ArrayList<>();
        readings(now).forEach((labels, reading) -> {
            if (reading.doubleValue() > threshold) {
                findings.add(new Finding(labels, summary(labels, reading)));
            }
        });
        return findings;
    }
}
