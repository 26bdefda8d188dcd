package dev.sluice.app.connect.restart;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.connect.auto-restart.*} of the {@link ConnectorRestarter}: whether it runs, how often it
 * looks at Connect, and its restart policy per failed task ({@link RestartPolicy}). Kubernetes turns it off: there
 * Strimzi's {@code autoRestart} restarts connectors, and two supervisors would fight.
 */
@ConfigurationProperties("sluice.connect.auto-restart")
public class AutoRestartSettings {

    private static final String PREFIX = "sluice.connect.auto-restart.";

    private boolean enabled = true;
    private Duration pollInterval = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofSeconds(10);
    private Duration maxBackoff = Duration.ofMinutes(10);
    private int maxAttempts = 10;
    private Duration healthyAfter = Duration.ofMinutes(10);

    /** Whether this service restarts failed connector tasks (default true; false where an operator does it). */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** How often Connect's status is looked at (default 10s). */
    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = positive("poll-interval", pollInterval);
    }

    /** How long after a task is first seen FAILED it is restarted (default 10s); each further attempt waits twice as long. */
    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = positive("initial-backoff", initialBackoff);
    }

    /** The longest wait between two attempts (default 10m). */
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = positive("max-backoff", maxBackoff);
    }

    /** Restarts of one task before giving up on it (default 10), counted until it ran healthy for healthy-after. */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(PREFIX + "max-attempts: must be at least 1, got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /** How long a task must stay RUNNING for its attempts (and a give-up) to be forgotten (default 10m). */
    public Duration getHealthyAfter() {
        return healthyAfter;
    }

    public void setHealthyAfter(Duration healthyAfter) {
        this.healthyAfter = positive("healthy-after", healthyAfter);
    }

    RestartPolicy.Limits limits() {
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(PREFIX + "max-backoff (" + maxBackoff + ") must not be shorter than "
                    + PREFIX + "initial-backoff (" + initialBackoff + ")");
        }
        return new RestartPolicy.Limits(initialBackoff, maxBackoff, maxAttempts, healthyAfter);
    }

    private static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PREFIX + key + ": must be a positive duration, got " + value);
        }
        return value;
    }
}
