package dev.sluice.app.alerts;

import java.time.Duration;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * One rule's settings, {@code sluice.alerts.rules.<rule>.*}: {@code enabled}, {@code threshold} (in the rule's
 * unit: records, dead letters per minute, seconds, MB) and {@code for-duration}, how long a breach must last
 * before it fires. application.yml sets every rule's defaults (docs/operations.md, "Alerts").
 */
@EachProperty("sluice.alerts.rules")
public class RuleSettings {

    private final String rule;
    private boolean enabled = true;
    private double threshold;
    private Duration forDuration = Duration.ZERO;

    public RuleSettings(@Parameter String rule) {
        this.rule = rule;
    }

    public String getRule() {
        return rule;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public double getThreshold() {
        return threshold;
    }

    public void setThreshold(double threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("sluice.alerts.rules." + rule + ".threshold: must be zero or positive");
        }
        this.threshold = threshold;
    }

    public Duration getForDuration() {
        return forDuration;
    }

    public void setForDuration(Duration forDuration) {
        if (forDuration == null || forDuration.isNegative()) {
            throw new IllegalArgumentException("sluice.alerts.rules." + rule
                    + ".for-duration: must be zero or positive");
        }
        this.forDuration = forDuration;
    }
}
