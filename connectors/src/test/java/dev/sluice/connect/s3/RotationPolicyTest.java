package dev.sluice.connect.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RotationPolicyTest {

    private static final long HOUR = 3_600_000L;

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void fullByRecordsOrBytes() {
        RotationPolicy policy = new RotationPolicy(100, 10_000, -1, -1, ZoneOffset.UTC);
        assertFalse(policy.isFull(99, 9_999));
        assertTrue(policy.isFull(100, 0));
        assertTrue(policy.isFull(1, 10_000));
    }

    @Test
    void windowsAlignToTheZonesLocalTime() {
        RotationPolicy kolkata = new RotationPolicy(1, 1, HOUR, -1, ZoneId.of("Asia/Kolkata"));
        // Local hours in +05:30 start at half past the UTC hour.
        assertEquals(kolkata.window(millis("2026-06-01T00:30:00Z")), kolkata.window(millis("2026-06-01T01:29:59Z")));
        assertNotEquals(kolkata.window(millis("2026-06-01T00:29:59Z")), kolkata.window(millis("2026-06-01T00:30:00Z")));
    }

    @Test
    void rotatesOnlyWhenANewerWindowBegins() {
        RotationPolicy policy = new RotationPolicy(1, 1, HOUR, -1, ZoneOffset.UTC);
        long ten = policy.window(millis("2026-06-01T10:15:00Z"));
        long eleven = policy.window(millis("2026-06-01T11:00:00Z"));

        assertTrue(policy.entersNewWindow(ten, eleven));
        assertFalse(policy.entersNewWindow(eleven, ten), "late records do not rotate");
        assertFalse(policy.entersNewWindow(ten, ten));
        assertFalse(policy.entersNewWindow(RotationPolicy.NO_WINDOW, ten), "first record of a partition");
    }

    @Test
    void disabledIntervalNeverRotates() {
        RotationPolicy policy = new RotationPolicy(1, 1, -1, -1, ZoneOffset.UTC);
        assertEquals(RotationPolicy.NO_WINDOW, policy.window(0));
        assertFalse(policy.entersNewWindow(policy.window(0), policy.window(10 * HOUR)));
    }

    @Test
    void idleAfterTheConfiguredWallClockTime() {
        RotationPolicy policy = new RotationPolicy(1, 1, -1, 5_000, ZoneOffset.UTC);
        assertFalse(policy.isIdle(1_000, 5_999));
        assertTrue(policy.isIdle(1_000, 6_000));
        assertFalse(new RotationPolicy(1, 1, -1, -1, ZoneOffset.UTC).isIdle(0, Long.MAX_VALUE));
    }
}
