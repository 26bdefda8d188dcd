package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** At most N notifications per sliding window per channel, with a clock the test moves. */
class RateLimitedChannelTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RecordingChannel recording = new RecordingChannel();
    private final List<Notification> delivered = recording.delivered;


    @Test
    void passesTheLimitThenDropsUntilTheWindowSlides() throws Exception {
        RateLimitedChannel channel = new RateLimitedChannel(recording, 2, Duration.ofMinutes(10), clock);
        assertTrue(channel.offer(notification("a")));
        clock.advance(Duration.ofSeconds(60));
        assertTrue(channel.offer(notification("b")));
        assertFalse(channel.offer(notification("c")));
        assertEquals(1, channel.dropped());

        clock.advance(Duration.ofSeconds(540)); // the first send is now 10 minutes old: out of the window
        assertTrue(channel.offer(notification("d")));
        assertFalse(channel.offer(notification("e")));
        assertEquals(List.of("a", "b", "d"), delivered.stream().map(n -> n.alert().labels().get("k")).toList());
    }

    private static Notification notification(String key) {
        return new Notification(new AlertView("r", Map.of("k", key), AlertState.FIRING, "s", "t", "t", null), "i");
    }
}
