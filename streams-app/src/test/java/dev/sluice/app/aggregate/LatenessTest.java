package dev.sluice.app.aggregate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The lateness rules at their exact boundaries. */
class LatenessTest {

    private static long at(String time) {
        return Instant.parse(time).toEpochMilli();
    }

    @Test
    void aTumblingWindowClosesWhenStreamTimeReachesItsEndPlusGrace() {
        Lateness hourly = Lateness.tumbling(Duration.ofHours(1), Duration.ofMinutes(10));
        long event = at("2026-11-22T08:59:59.999Z");
        assertFalse(hourly.late(event, at("2026-11-22T09:09:59.999Z")));
        assertTrue(hourly.late(event, at("2026-11-22T09:10:00Z")));
        assertFalse(hourly.late(at("2026-11-22T09:00:00Z"), at("2026-11-22T09:10:00Z")), "next window still open");
    }

    @Test
    void aSessionEventIsLateWhenOlderThanStreamTimeMinusGrace() {
        Lateness sessions = Lateness.session(Duration.ofMinutes(10));
        assertFalse(sessions.late(at("2026-11-22T09:40:00Z"), at("2026-11-22T09:50:00Z")));
        assertTrue(sessions.late(at("2026-11-22T09:39:59.999Z"), at("2026-11-22T09:50:00Z")));
    }

    @Test
    void windowsAreEpochAligned() {
        assertTrue(Windows.start(at("2026-11-22T09:59:59.999Z"), Duration.ofHours(1).toMillis())
                == at("2026-11-22T09:00:00Z"));
        assertTrue(Windows.start(at("2026-11-22T23:59:59Z"), Duration.ofDays(1).toMillis())
                == at("2026-11-22T00:00:00Z"));
    }
}
