package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** At most N notifications per sliding window per channel, with a clock the test moves. */
class RateLimitedChannelTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final List<Notification> delivered = new ArrayList<>();

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private final AlertChannel recording = new AlertChannel() {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void send(Notification notification) {
            delivered.add(notification);
        }
    };

    @Test
    void passesTheLimitThenDropsUntilTheWindowSlides() throws Exception {
        RateLimitedChannel channel = new RateLimitedChannel(recording, 2, Duration.ofMinutes(10), clock);
        assertTrue(channel.offer(notification("a")));
        now = now.plusSeconds(60);
        assertTrue(channel.offer(notification("b")));
        assertFalse(channel.offer(notification("c")));
        assertEquals(1, channel.dropped());

        now = now.plusSeconds(540); // the first send is now 10 minutes old: out of the window
        assertTrue(channel.offer(notification("d")));
        assertFalse(channel.offer(notification("e")));
        assertEquals(List.of("a", "b", "d"), delivered.stream().map(n -> n.alert().labels().get("k")).toList());
    }

    private static Notification notification(String key) {
        return new Notification(new AlertView("r", Map.of("k", key), AlertState.FIRING, "s", "t", "t", null), "i");
    }
}
