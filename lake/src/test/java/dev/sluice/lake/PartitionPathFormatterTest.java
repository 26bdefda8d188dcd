package dev.sluice.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionPathFormatterTest {

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void formatsHourOfEventTimeInUtc() {
        PartitionPathFormatter formatter = new PartitionPathFormatter(ZoneOffset.UTC, List.of());

        assertEquals("year=2026/month=03/day=07/hour=09", formatter.format(millis("2026-03-07T09:59:59.999Z"), List.of()));
        assertEquals("year=2026/month=03/day=07/hour=10", formatter.format(millis("2026-03-07T10:00:00Z"), List.of()));
        assertEquals("year=1969/month=12/day=31/hour=23", formatter.format(-1, List.of()));
    }

    @Test
    void usesTheConfiguredZone() {
        PartitionPathFormatter berlin = new PartitionPathFormatter(ZoneId.of("Europe/Berlin"), List.of());
        PartitionPathFormatter kolkata = new PartitionPathFormatter(ZoneId.of("Asia/Kolkata"), List.of());

        assertEquals("year=2027/month=01/day=01/hour=00", berlin.format(millis("2026-12-31T23:30:00Z"), List.of()));
        // +05:30: the local hour changes at half past the UTC hour.
        assertEquals("year=2026/month=06/day=01/hour=05", kolkata.format(millis("2026-05-31T23:59:00Z"), List.of()));
        assertEquals("year=2026/month=06/day=01/hour=06", kolkata.format(millis("2026-06-01T00:30:00Z"), List.of()));
    }

    @Test
    void daylightSavingTransitionsKeepLocalHours() {
        PartitionPathFormatter berlin = new PartitionPathFormatter(ZoneId.of("Europe/Berlin"), List.of());

        // 2026-03-29 02:00 local does not exist: 00:59:59Z is 01:59:59 CET, 01:00Z is 03:00 CEST.
        assertEquals("year=2026/month=03/day=29/hour=01", berlin.format(millis("2026-03-29T00:59:59Z"), List.of()));
        assertEquals("year=2026/month=03/day=29/hour=03", berlin.format(millis("2026-03-29T01:00:00Z"), List.of()));
        // 2026-10-25 02:00-03:00 local happens twice; both land in hour=02.
        assertEquals("year=2026/month=10/day=25/hour=02", berlin.format(millis("2026-10-25T00:30:00Z"), List.of()));
        assertEquals("year=2026/month=10/day=25/hour=02", berlin.format(millis("2026-10-25T01:30:00Z"), List.of()));
    }

    @Test
    void appendsEncodedFieldSegments() {
        PartitionPathFormatter formatter =
                new PartitionPathFormatter(ZoneOffset.UTC, List.of("region", "customer.tier"));

        assertEquals("year=2026/month=03/day=07/hour=09/region=EU/customer_tier=gold",
                formatter.format(millis("2026-03-07T09:00:00Z"), List.of("EU", "gold")));
        assertEquals("year=2026/month=03/day=07/hour=09/region=..%2F..%2Fetc/customer_tier=__HIVE_DEFAULT_PARTITION__",
                formatter.format(millis("2026-03-07T09:00:00Z"), Arrays.asList("../../etc", null)));
    }

    @Test
    void parsesPathsBack() {
        PartitionPathFormatter formatter = new PartitionPathFormatter(ZoneOffset.UTC, List.of("region"));
        String path = formatter.format(millis("2026-03-07T09:00:00Z"), List.of("a/b=c%"));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("year", "2026");
        expected.put("month", "03");
        expected.put("day", "07");
        expected.put("hour", "09");
        expected.put("region", "a/b=c%");
        assertEquals(expected, PartitionPathFormatter.parse(path));
    }

    @Test
    void rejectsBadFieldConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionPathFormatter(ZoneOffset.UTC, List.of("hour")));
        assertThrows(IllegalArgumentException.class,
                () -> new PartitionPathFormatter(ZoneOffset.UTC, List.of("a.b", "a_b")));
        assertThrows(IllegalArgumentException.class, () -> new PartitionPathFormatter(ZoneOffset.UTC, List.of("../x")));
    }
}
