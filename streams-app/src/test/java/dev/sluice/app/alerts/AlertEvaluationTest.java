package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Rules through the book to the channels, with a clock the test moves: for-duration, one notification per
 * transition, a rule that cannot be read keeps its alerts, a failing channel does not silence the others, and the
 * per-channel rate limit.
 */
class AlertEvaluationTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AlertBook book = new AlertBook(20);
    private final RecordingChannel recording = new RecordingChannel();
    private final List<Notification> delivered = recording.delivered;
    /** What the switchable rule sees; null makes it throw, as a rule does when its source cannot be read. */
    private List<Finding> seen = List.of();
    /** Whether the instance under test leads. */
    private boolean leads = true;

    private final AlertRule switchable = new AlertRule() {
        @Override
        public String name() {
            return "connector-failed";
        }

        @Override
        public Scope scope() {
            return Scope.DEPLOYMENT;
        }

        @Override
        public List<Finding> check(Instant now) {
            if (seen == null) {
                throw new IllegalStateException("Kafka Connect unavailable");
            }
            return seen;
        }
    };


    private final AlertChannel broken = new AlertChannel() {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public void send(Notification notification) throws java.io.IOException {
            throw new java.io.IOException("receiver down");
        }
    };

    private AlertEvaluation evaluation(int rateLimit) {
        return new AlertEvaluation(List.of(switchable), Map.of("connector-failed", Duration.ofMinutes(2)), book,
                List.of(new RateLimitedChannel(broken, rateLimit, Duration.ofHours(1), clock),
                        new RateLimitedChannel(recording, rateLimit, Duration.ofHours(1), clock)),
                clock, "app-0", () -> leads);
    }

    @Test
    void firesAfterTheForDurationOnceAndResolvesOnce() {
        AlertEvaluation evaluation = evaluation(10);
        seen = List.of(new Finding(Map.of("connector", "pg"), "connector pg is FAILED"));
        evaluation.run();
        clock.advance(Duration.ofSeconds(90));
        evaluation.run();
        assertTrue(delivered.isEmpty(), "pending for 90 s of 2 min");

        clock.advance(Duration.ofSeconds(30));
        evaluation.run();
        clock.advance(Duration.ofSeconds(30));
        evaluation.run();
        assertEquals(1, delivered.size(), "fired once, though the broken channel failed first");
        assertEquals(AlertState.FIRING, delivered.get(0).alert().state());
        assertEquals("app-0", delivered.get(0).instance());

        seen = null;
        clock.advance(Duration.ofMinutes(5));
        evaluation.run();
        assertEquals(1, delivered.size(), "a rule that cannot be read does not resolve its alerts");
        assertEquals(AlertState.FIRING, book.active().get(0).state());

        seen = List.of();
        evaluation.run();
        assertEquals(2, delivered.size());
        assertEquals(AlertState.RESOLVED, delivered.get(1).alert().state());
        assertTrue(book.active().isEmpty());
    }

    @Test
    void aFlappingRuleIsCutByTheRateLimitButTheBookKeepsEveryTransition() {
        AlertEvaluation evaluation = new AlertEvaluation(List.of(switchable), Map.of(), book,
                List.of(new RateLimitedChannel(recording, 3, Duration.ofHours(1), clock)), clock, "app-0",
                () -> leads);
        for (int i = 0; i < 5; i++) {
            seen = List.of(new Finding(Map.of("connector", "pg"), "FAILED"));
            evaluation.run();
            clock.advance(Duration.ofMinutes(1));
            seen = List.of();
            evaluation.run();
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(3, delivered.size(), "10 transitions, 3 allowed per hour");
        assertEquals(10, book.recent().size());
    }

    @Test
    void onlyTheLeaderNotifiesDeploymentWideAlertsAndANewLeaderTellsWhatFires() {
        AlertRule local = new AlertRule() {
            @Override
            public String name() {
                return "topology-not-running";
            }

            @Override
            public Scope scope() {
                return Scope.INSTANCE;
            }

            @Override
            public List<Finding> check(Instant now) {
                return seen.isEmpty() ? List.of() : List.of(new Finding(Map.of(), "ERROR"));
            }
        };
        AlertEvaluation evaluation = new AlertEvaluation(List.of(switchable, local), Map.of(), book,
                List.of(new RateLimitedChannel(recording, 10, Duration.ofHours(1), clock)), clock, "app-1",
                () -> leads);
        leads = false;
        seen = List.of(new Finding(Map.of("connector", "pg"), "connector pg is FAILED"));
        evaluation.run();
        assertEquals(List.of("topology-not-running FIRING"), told(), "its own breach: every instance tells");
        assertEquals(2, book.active().size(), "its /api/alerts shows the deployment-wide one all the same");

        delivered.clear();
        evaluation.run();
        assertEquals(List.of(), told(), "still firing: nothing new");

        leads = true;
        evaluation.run();
        assertEquals(List.of("connector-failed FIRING"), told(),
                "the new leader tells what fires: the previous one may have gone before telling");

        delivered.clear();
        seen = List.of();
        evaluation.run();
        assertEquals(List.of("connector-failed RESOLVED", "topology-not-running RESOLVED"), told());
    }

    private List<String> told() {
        return delivered.stream().map(n -> n.alert().rule() + " " + n.alert().state()).toList();
    }
}
