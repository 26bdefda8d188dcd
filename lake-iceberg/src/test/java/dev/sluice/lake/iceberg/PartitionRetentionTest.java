package dev.sluice.lake.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PartitionRetentionTest {

    @Test
    void aRetentionUnderAnHourIsRefusedNamingItsZone() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new PartitionRetention(
                Map.of("bronze", Duration.ofDays(90), "silver", Duration.ofMinutes(59)), Duration.ofMinutes(15),
                Clock.systemUTC()));
        assertEquals("retention of zone silver: must be at least 1h, was PT59M", error.getMessage());
    }
}
