package dev.sluice.devstack.supervise;

import java.time.Duration;

/**
 * How the launcher restarts a child that died: after {@code initialBackoff}, doubling with every restart still
 * within {@code window} up to {@code maxBackoff}, and at most {@code maxRestarts} times within {@code window};
 * past that it gives up on the child (a crash loop is a problem to report, not to hide).
 */
public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, int maxRestarts, Duration window) {

    /** 1, 2, 4, 8, 16 s; five restarts within ten minutes. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
            Duration.ofMinutes(10));

    public RestartPolicy {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRestarts < 1
                || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("invalid restart policy " + initialBackoff + "/" + maxBackoff + "/"
                    + maxRestarts + "/" + window);
        }
    }

    /** The wait before restart number {@code restart} (1-based) of the current window. */
    public Duration backoff(int restart) {
        Duration backoff = initialBackoff;
        for (int i = 1; i < restart && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
