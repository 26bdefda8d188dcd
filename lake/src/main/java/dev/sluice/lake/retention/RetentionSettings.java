package dev.sluice.lake.retention;

import dev.sluice.lake.ObjectKeyNamer;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the lake janitor keeps and for how long. Every value is checked when built, with a message naming it.
 *
 * @param bucket          the lake's bucket
 * @param zone            the time zone the sinks cut hours in ({@code partition.timezone})
 * @param zones           retention per zone prefix (a sink's {@code topics.dir}: bronze, silver, gold); prefixes
 *                        not named here are never touched
 * @param topics          retention per topic, overriding its zone's
 * @param openHourGuard   no partition whose hour ended less than this ago is deleted, whatever the retention says:
 *                        compaction's closed delay, so that an hour a sink may still write is never touched
 * @param multipartMaxAge incomplete multipart uploads initiated longer ago than this are aborted
 */
public record RetentionSettings(String bucket, ZoneId zone, Map<String, Duration> zones, Map<String, Duration> topics,
                                Duration openHourGuard, Duration multipartMaxAge) {

    /** Bronze long enough to replay a quarter, silver a year, gold seven years (2557 days: with two leap days). */
    public static final Map<String, Duration> DEFAULT_ZONES = Map.of("bronze", Duration.ofDays(90),
            "silver", Duration.ofDays(365), "gold", Duration.ofDays(2557));

    /** Uploads older than this are surely abandoned: the sink and compaction finish theirs within minutes. */
    public static final Duration DEFAULT_MULTIPART_MAX_AGE = Duration.ofDays(1);

    /** The shortest retention accepted: less could only be a unit mistake. */
    static final Duration MIN_RETENTION = Duration.ofHours(1);

    public RetentionSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be empty");
        }
        Objects.requireNonNull(zone, "zone");
        for (Map.Entry<String, Duration> entry : zones.entrySet()) {
            try {
                ObjectKeyNamer.validatePrefix(entry.getKey());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("zones: '" + entry.getKey() + "' " + e.getMessage(), e);
            }
            requireRetention("zones." + entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, Duration> entry : topics.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isBlank()) {
                throw new IllegalArgumentException("topics: a topic override names no topic");
            }
            requireRetention("topics." + entry.getKey(), entry.getValue());
        }
        if (openHourGuard == null || openHourGuard.isNegative()) {
            throw new IllegalArgumentException("open-hour guard must not be negative");
        }
        if (multipartMaxAge == null || multipartMaxAge.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("multipart-max-age must be at least " + MIN_RETENTION
                    + ": shorter could abort uploads the sink is still writing");
        }
        zones = Map.copyOf(new TreeMap<>(zones));
        topics = Map.copyOf(topics);
    }

    private static void requireRetention(String key, Duration retention) {
        if (retention == null || retention.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException(key + " must be at least " + MIN_RETENTION + ", got " + retention);
        }
    }
}
