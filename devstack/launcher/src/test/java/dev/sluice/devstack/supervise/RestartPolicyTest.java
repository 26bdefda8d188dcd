package dev.sluice.devstack.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void backoffDoublesUpToItsCap() {
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), IntStream.rangeClosed(1, 7)
                .mapToObj(n -> RestartPolicy.DEFAULT.backoff(n).toSeconds()).toList());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), 3, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 0, Duration.ofMinutes(1)));
    }

    @Test
    void theBudgetIsPerWindowAndRefillsAsRestartsAge() {
        MutableClock clock = new MutableClock();
        RestartHistory history = new RestartHistory(new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30),
                3, Duration.ofMinutes(10)), clock);
        assertEquals(Optional.of(new RestartHistory.Attempt(1, Duration.ofSeconds(1))), history.next());
        clock.advance(Duration.ofMinutes(4));
        assertEquals(Optional.of(new RestartHistory.Attempt(2, Duration.ofSeconds(2))), history.next());
        clock.advance(Duration.ofMinutes(4));
        assertEquals(Optional.of(new RestartHistory.Attempt(3, Duration.ofSeconds(4))), history.next());
        assertEquals(Optional.empty(), history.next(), "a fourth restart within ten minutes is refused");
        clock.advance(Duration.ofMinutes(2));
        // The first restart is now ten minutes old and leaves the window: one more is allowed, backoff 4 s again.
        assertEquals(Optional.of(new RestartHistory.Attempt(3, Duration.ofSeconds(4))), history.next());
        clock.advance(Duration.ofHours(1));
        assertEquals(Optional.of(new RestartHistory.Attempt(1, Duration.ofSeconds(1))), history.next(),
                "a child that ran for long starts afresh");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
