package dev.sluice.app.connect.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.sluice.app.connect.TaskRestarts;

/**
 * When to restart a failed connector task: the first restart {@code initialBackoff} after the task was first seen
 * FAILED, each further one twice as long after the previous restart (at most {@code maxBackoff}), and none after
 * {@code maxAttempts}: the task is then given up on, and stays FAILED until someone acts. A task that stays RUNNING
 * for {@code healthyAfter} is forgotten (attempts and give-up reset), so a task that fails again days later gets
 * the full budget again. Time is what the caller says it is, so the policy is tested without waiting.
 */
final class RestartPolicy {

    /** The policy's parameters. */
    record Limits(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration healthyAfter) {
    }

    /** What to do about a task now. */
    enum Decision {
        NOTHING, RESTART, GIVE_UP
    }

    /** A task of a connector. */
    record TaskKey(String connector, int task) {
    }

    /** What the policy remembers of a task that failed and has not been healthy for long enough since. */
    private static final class Attempts {
        int attempts;
        Instant nextAttempt;
        Instant lastRestart;
        boolean gaveUp;
        Instant runningSince;
    }

    private final Limits limits;
    /** Guarded by this. */
    private final Map<TaskKey, Attempts> tasks = new HashMap<>();

    RestartPolicy(Limits limits) {
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /** Takes in the task's state as Connect reports it at {@code now}, and says whether to restart it now. */
    synchronized Decision observe(TaskKey key, String state, Instant now) {
        Attempts task = tasks.get(key);
        if (!"FAILED".equals(state)) {
            if (task != null) {
                if (!"RUNNING".equals(state)) {
                    task.runningSince = null;
                } else if (task.runningSince == null) {
                    task.runningSince = now;
                }
                if (task.runningSince != null && !now.isBefore(task.runningSince.plus(limits.healthyAfter()))) {
                    tasks.remove(key);
                }
            }
            return Decision.NOTHING;
        }
        if (task == null) {
            task = new Attempts();
            task.nextAttempt = now.plus(backoff(1));
            tasks.put(key, task);
        }
        task.runningSince = null;
        if (task.gaveUp || now.isBefore(task.nextAttempt)) {
            return Decision.NOTHING;
        }
        if (task.attempts >= limits.maxAttempts()) {
            task.gaveUp = true;
            task.nextAttempt = null;
            return Decision.GIVE_UP;
        }
        task.attempts++;
        task.lastRestart = now;
        task.nextAttempt = now.plus(backoff(task.attempts + 1));
        return Decision.RESTART;
    }

    /** Forgets the tasks that are gone (connector deleted, fewer tasks). */
    synchronized void retainOnly(Set<TaskKey> present) {
        tasks.keySet().retainAll(present);
    }

    /** The restarts of a task so far; empty for a task that has not failed lately. */
    synchronized Optional<TaskRestarts> restarts(TaskKey key) {
        Attempts task = tasks.get(key);
        if (task == null) {
            return Optional.empty();
        }
        return Optional.of(new TaskRestarts(task.attempts, limits.maxAttempts(), string(task.lastRestart),
                string(task.nextAttempt), task.gaveUp));
    }

    /** The wait before attempt {@code attempt} (1 for the first): doubling from the initial backoff, capped. */
    Duration backoff(int attempt) {
        int doublings = Math.min(attempt - 1, 30);
        Duration wait = limits.initialBackoff().multipliedBy(1L << doublings);
        return wait.compareTo(limits.maxBackoff()) > 0 ? limits.maxBackoff() : wait;
    }

    private static String string(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
