package dev.sluice.devstack.supervise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The restarts of one child within the policy's window: whether another is allowed, and after how long. */
final class RestartHistory {

    /** Restart number {@code number} within the window, to be made after {@code backoff}. */
    record Attempt(int number, Duration backoff) {
    }

    private final RestartPolicy policy;
    private final Clock clock;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    RestartHistory(RestartPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Records the next restart and returns it, or empty when the window's budget is spent. */
    synchronized Optional<Attempt> next() {
        Instant now = clock.instant();
        while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(now.minus(policy.window()))) {
            restarts.removeFirst();
        }
        if (restarts.size() >= policy.maxRestarts()) {
            return Optional.empty();
        }
        restarts.addLast(now);
        return Optional.of(new Attempt(restarts.size(), policy.backoff(restarts.size())));
    }
}
