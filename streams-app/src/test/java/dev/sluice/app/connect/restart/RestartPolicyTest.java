package dev.sluice.app.connect.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sluice.app.connect.TaskRestarts;
import dev.sluice.app.connect.restart.RestartPolicy.Decision;
import dev.sluice.app.connect.restart.RestartPolicy.TaskKey;

/**
 * The restart policy of failed connector tasks, on a clock these tests move: the first restart after the initial
 * backoff, then doubling up to the cap, a give-up after the bounded attempts, and a fresh budget only once the
 * task has run healthy for long enough.
 */
class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final TaskKey TASK = new TaskKey("sink", 0);
    private static final Duration HEALTHY = Duration.ofMinutes(10);

    private final RestartPolicy policy = new RestartPolicy(new RestartPolicy.Limits(Duration.ofSeconds(10),
            Duration.ofSeconds(60), 5, HEALTHY));

    @Test
    void aFailedTaskIsRestartedAfterBackoffsThatDoubleUpToTheCapAndThenGivenUpOn() {
        assertEquals(Decision.NOTHING, policy.observe(TASK, "FAILED", T0), "not at once: a blip gets a moment");
        List<Long> restartsAt = new ArrayList<>();
        Decision last = Decision.NOTHING;
        // Watch it every second for 10 minutes, FAILED all along.
        for (int second = 0; second <= 600 && last != Decision.GIVE_UP; second++) {
            last = policy.observe(TASK, "FAILED", T0.plusSeconds(second));
            if (last == Decision.RESTART) {
                restartsAt.add((long) second);
            }
        }
        // 10 s, then 20, 40, 60 (capped), 60 after each previous restart.
        assertEquals(List.of(10L, 30L, 70L, 130L, 190L), restartsAt);
        assertEquals(Decision.GIVE_UP, last);
        TaskRestarts restarts = policy.restarts(TASK).orElseThrow();
        assertEquals(5, restarts.attempts());
        assertTrue(restarts.gaveUp());
        assertNull(restarts.nextAttempt(), "nothing more is due");
        assertEquals(T0.plusSeconds(190).toString(), restarts.lastRestart());
        assertEquals(Decision.NOTHING, policy.observe(TASK, "FAILED", T0.plus(Duration.ofDays(1))),
                "once given up, never again by itself");
    }

    @Test
    void theStateShowsAttemptsAndWhenTheNextIsDue() {
        policy.observe(TASK, "FAILED", T0);
        assertEquals(new TaskRestarts(0, 5, null, T0.plusSeconds(10).toString(), false),
                policy.restarts(TASK).orElseThrow());
        assertEquals(Decision.RESTART, policy.observe(TASK, "FAILED", T0.plusSeconds(10)));
        assertEquals(new TaskRestarts(1, 5, T0.plusSeconds(10).toString(), T0.plusSeconds(30).toString(), false),
                policy.restarts(TASK).orElseThrow());
        assertTrue(policy.restarts(new TaskKey("sink", 1)).isEmpty(), "a task that never failed has none");
    }

    @Test
    void aTaskThatFailsAgainSoonAfterARestartKeepsCountingAndOneThatStaysHealthyIsForgotten() {
        policy.observe(TASK, "FAILED", T0);
        assertEquals(Decision.RESTART, policy.observe(TASK, "FAILED", T0.plusSeconds(10)));
        policy.observe(TASK, "RUNNING", T0.plusSeconds(12));
        policy.observe(TASK, "RUNNING", T0.plusSeconds(25));
        assertEquals(Decision.NOTHING, policy.observe(TASK, "FAILED", T0.plusSeconds(26)), "backoff still runs");
        assertEquals(Decision.RESTART, policy.observe(TASK, "FAILED", T0.plusSeconds(30)));
        assertEquals(2, policy.restarts(TASK).orElseThrow().attempts(), "a short run does not reset the count");

        Instant running = T0.plusSeconds(32);
        policy.observe(TASK, "RUNNING", running);
        policy.observe(TASK, "RUNNING", running.plus(HEALTHY).minusSeconds(1));
        assertEquals(2, policy.restarts(TASK).orElseThrow().attempts(), "not yet healthy for long enough");
        policy.observe(TASK, "RUNNING", running.plus(HEALTHY));
        assertTrue(policy.restarts(TASK).isEmpty(), "healthy for " + HEALTHY + ": forgotten");

        Instant later = running.plus(Duration.ofHours(1));
        assertEquals(Decision.NOTHING, policy.observe(TASK, "FAILED", later));
        assertEquals(Decision.RESTART, policy.observe(TASK, "FAILED", later.plusSeconds(10)),
                "a new failure starts again at the initial backoff");
    }

    @Test
    void aRestartingOrUnassignedSpellInterruptsTheHealthyTime() {
        policy.observe(TASK, "FAILED", T0);
        policy.observe(TASK, "FAILED", T0.plusSeconds(10));
        policy.observe(TASK, "RUNNING", T0.plusSeconds(20));
        policy.observe(TASK, "UNASSIGNED", T0.plusSeconds(300));
        policy.observe(TASK, "RUNNING", T0.plusSeconds(301));
        policy.observe(TASK, "RUNNING", T0.plusSeconds(20).plus(HEALTHY));
        assertFalse(policy.restarts(TASK).isEmpty(), "healthy time counts from the last RUNNING spell");
    }

    @Test
    void aGivenUpTaskRestartedByHandAndHealthyGetsAFreshBudget() {
        RestartPolicy one = new RestartPolicy(new RestartPolicy.Limits(Duration.ofSeconds(1), Duration.ofSeconds(1),
                1, HEALTHY));
        one.observe(TASK, "FAILED", T0);
        assertEquals(Decision.RESTART, one.observe(TASK, "FAILED", T0.plusSeconds(1)));
        assertEquals(Decision.GIVE_UP, one.observe(TASK, "FAILED", T0.plusSeconds(2)));
        one.observe(TASK, "RUNNING", T0.plusSeconds(100));
        one.observe(TASK, "RUNNING", T0.plusSeconds(100).plus(HEALTHY));
        assertTrue(one.restarts(TASK).isEmpty());
    }

    @Test
    void tasksThatAreGoneAreForgotten() {
        policy.observe(TASK, "FAILED", T0);
        policy.observe(new TaskKey("source", 2), "FAILED", T0);
        policy.retainOnly(Set.of(TASK));
        assertFalse(policy.restarts(TASK).isEmpty());
        assertTrue(policy.restarts(new TaskKey("source", 2)).isEmpty());
    }

    @Test
    void theBackoffDoesNotOverflowOnManyAttempts() {
        assertEquals(Duration.ofSeconds(60), policy.backoff(1_000));
    }

    @Test
    void settingsNameTheKeyTheyReject() {
        AutoRestartSettings settings = new AutoRestartSettings();
        IllegalArgumentException zero = assertThrows(
                IllegalArgumentException.class, () -> settings.setMaxAttempts(0));
        assertTrue(zero.getMessage().contains("sluice.connect.auto-restart.max-attempts"), zero.getMessage());
        settings.setInitialBackoff(Duration.ofMinutes(5));
        settings.setMaxBackoff(Duration.ofMinutes(1));
        IllegalArgumentException order = assertThrows(
                IllegalArgumentException.class, settings::limits);
        assertTrue(order.getMessage().contains("sluice.connect.auto-restart.max-backoff"), order.getMessage());
    }
}
