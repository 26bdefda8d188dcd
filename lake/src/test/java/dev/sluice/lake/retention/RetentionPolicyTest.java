package dev.sluice.lake.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The expiry arithmetic: cutoffs per zone and topic, the open-hour guard, hours in the sinks' time zone. */
class RetentionPolicyTest {

    private static RetentionPolicy policy(ZoneId zone, Map<String, Duration> zones, Map<String, Duration> topics,
            Duration guard) {
        return new RetentionPolicy(new RetentionSettings("lake", zone, zones, topics, guard,
                RetentionSettings.DEFAULT_MULTIPART_MAX_AGE));
    }

    private static RetentionPolicy defaults(ZoneId zone) {
        return policy(zone, RetentionSettings.DEFAULT_ZONES, Map.of(), Duration.ofHours(1));
    }

    @Test
    void anHourExpiresWhenItsEndIsAtLeastTheRetentionAgo() {
        RetentionPolicy policy = defaults(ZoneOffset.UTC);
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        // 90 days before 2026-06-01T12:00Z is 2026-03-03T12:00Z: the hour 11-12 ends exactly then.
        assertEquals(Optional.of(Instant.parse("2026-03-03T12:00:00Z")), policy.cutoff("bronze", "bronze.x", now));
        assertTrue(policy.expired("bronze", "bronze.x", "year=2026/month=03/day=03/hour=11", now));
        assertFalse(policy.expired("bronze", "bronze.x", "year=2026/month=03/day=03/hour=12", now));
        assertFalse(policy.expired("bronze", "bronze.x", "year=2026/month=03/day=03/hour=12", now.minusMillis(1)));
        assertTrue(policy.expired("bronze", "bronze.x", "year=2026/month=03/day=03/hour=12/region=EU",
                now.plus(Duration.ofHours(1))), "field segments below the hour do not matter");
        assertTrue(policy.expired("bronze", "bronze.x", "year=2025/month=12/day=31/hour=23", now));
    }

    @Test
    void eachZoneHasItsDefaultAndTopicsOverrideIt() {
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        RetentionPolicy policy = policy(ZoneOffset.UTC, RetentionSettings.DEFAULT_ZONES,
                Map.of("silver.orders", Duration.ofDays(30)), Duration.ofHours(1));
        assertEquals(Optional.of(Duration.ofDays(90)), policy.retention("bronze", "bronze.pg.orders"));
        assertEquals(Optional.of(Duration.ofDays(365)), policy.retention("silver", "silver.customers"));
        assertEquals(Optional.of(Duration.ofDays(2557)), policy.retention("gold", "gold.customer_totals"));
        assertEquals(Optional.of(Duration.ofDays(30)), policy.retention("silver", "silver.orders"));
        assertEquals(Optional.of(Instant.parse("2025-06-01T12:00:00Z")), policy.cutoff("silver", "silver.x", now));
        assertEquals(Optional.of(Instant.parse("2019-06-01T12:00:00Z")), policy.cutoff("gold", "gold.x", now),
                "seven years back, leap days included");
        assertTrue(policy.expired("silver", "silver.orders", "year=2026/month=05/day=02/hour=11", now));
        assertFalse(policy.expired("silver", "silver.customers", "year=2026/month=05/day=02/hour=11", now));
    }

    @Test
    void aZoneWithoutRetentionIsKeptForever() {
        RetentionPolicy policy = defaults(ZoneOffset.UTC);
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        assertEquals(Optional.empty(), policy.cutoff("archive", "bronze.x", now));
        assertFalse(policy.expired("archive", "bronze.x", "year=2000/month=01/day=01/hour=00", now));
    }

    @Test
    void theOpenHourGuardWinsOverAShorterRetention() {
        Instant now = Instant.parse("2026-06-01T12:30:00Z");
        RetentionPolicy policy = policy(ZoneOffset.UTC, Map.of("bronze", Duration.ofHours(1)), Map.of(),
                Duration.ofHours(3));
        assertEquals(Optional.of(Instant.parse("2026-06-01T09:30:00Z")), policy.cutoff("bronze", "b", now));
        assertFalse(policy.expired("bronze", "b", "year=2026/month=06/day=01/hour=09", now), "ends 10:00");
        assertTrue(policy.expired("bronze", "b", "year=2026/month=06/day=01/hour=08", now));
        assertFalse(policy.expired("bronze", "b", "year=2026/month=06/day=01/hour=12", now), "the open hour");
    }

    @Test
    void anHourThatOccursTwiceExpiresAfterItsSecondOccurrence() {
        // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET, so local hour 02 runs 00:00Z-01:00Z and 01:00Z-02:00Z.
        RetentionPolicy policy = policy(ZoneId.of("Europe/Berlin"), Map.of("bronze", Duration.ofHours(1)), Map.of(),
                Duration.ZERO);
        String twice = "year=2026/month=10/day=25/hour=02";
        assertFalse(policy.expired("bronze", "b", twice, Instant.parse("2026-10-25T02:59:59Z")));
        assertTrue(policy.expired("bronze", "b", twice, Instant.parse("2026-10-25T03:00:00Z")));
        // The hour before ends at local 02:00, which occurs twice; like compaction, the later one counts (01:00Z).
        String before = "year=2026/month=10/day=25/hour=01";
        assertFalse(policy.expired("bronze", "b", before, Instant.parse("2026-10-25T01:59:59Z")));
        assertTrue(policy.expired("bronze", "b", before, Instant.parse("2026-10-25T02:00:00Z")));
    }

    @Test
    void anHourBeforeTheSpringGapEndsWhereTheGapEnds() {
        // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST; local hour 01 runs 00:00Z-01:00Z.
        RetentionPolicy policy = policy(ZoneId.of("Europe/Berlin"), Map.of("bronze", Duration.ofHours(1)), Map.of(),
                Duration.ZERO);
        String beforeGap = "year=2026/month=03/day=29/hour=01";
        assertFalse(policy.expired("bronze", "b", beforeGap, Instant.parse("2026-03-29T01:59:59Z")));
        assertTrue(policy.expired("bronze", "b", beforeGap, Instant.parse("2026-03-29T02:00:00Z")));
    }

    @Test
    void hoursAreReadInTheSinksZone() {
        // Kolkata is UTC+05:30: local hour 00 of 2026-01-10 ends at 2026-01-09T19:30Z.
        RetentionPolicy policy = policy(ZoneId.of("Asia/Kolkata"), Map.of("silver", Duration.ofDays(1)), Map.of(),
                Duration.ofHours(1));
        String path = "year=2026/month=01/day=10/hour=00";
        assertFalse(policy.expired("silver", "s", path, Instant.parse("2026-01-10T19:29:59Z")));
        assertTrue(policy.expired("silver", "s", path, Instant.parse("2026-01-10T19:30:00Z")));
    }

    @Test
    void pathsThatNameNoHourNeverExpire() {
        RetentionPolicy policy = defaults(ZoneOffset.UTC);
        Instant now = Instant.parse("2026-06-01T12:00:00Z");
        assertFalse(policy.expired("bronze", "b", "year=2000/month=13/day=01/hour=00", now));
        assertFalse(policy.expired("bronze", "b", "region=EU/year=2000/month=01/day=01/hour=00", now));
        assertFalse(policy.expired("bronze", "b", "year=2000/month=01/day=01", now));
    }

    @Test
    void settingsRejectRetentionsAndAgesThatCannotBeMeant() {
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(
                "lake", ZoneOffset.UTC, Map.of("bronze", Duration.ofMinutes(5)), Map.of(), Duration.ZERO,
                Duration.ofDays(1)));
        assertTrue(tooShort.getMessage().startsWith("zones.bronze must be at least"), tooShort.getMessage());
        IllegalArgumentException topic = assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(
                "lake", ZoneOffset.UTC, Map.of(), Map.of("silver.orders", Duration.ZERO), Duration.ZERO,
                Duration.ofDays(1)));
        assertTrue(topic.getMessage().startsWith("topics.silver.orders"), topic.getMessage());
        IllegalArgumentException uploads = assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(
                "lake", ZoneOffset.UTC, Map.of(), Map.of(), Duration.ZERO, Duration.ofMinutes(10)));
        assertTrue(uploads.getMessage().startsWith("multipart-max-age"), uploads.getMessage());
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(
                "lake", ZoneOffset.UTC, Map.of("/bronze", Duration.ofDays(1)), Map.of(), Duration.ZERO,
                Duration.ofDays(1)));
        assertTrue(prefix.getMessage().startsWith("zones: '/bronze'"), prefix.getMessage());
    }
}
