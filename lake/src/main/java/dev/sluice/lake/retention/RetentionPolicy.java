package dev.sluice.lake.retention;

import dev.sluice.lake.compaction.HourPartitions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which hour partitions have expired: those whose hour, in the sinks' time zone, ended at or before the cutoff of
 * their zone and topic. The cutoff is {@code now - retention}, but never later than {@code now - open-hour guard},
 * so that no retention value, however small, reaches an hour that is still open.
 */
public final class RetentionPolicy {

    private final RetentionSettings settings;

    public RetentionPolicy(RetentionSettings settings) {
        this.settings = settings;
    }

    /** The retention of a topic in a zone: the topic's override, else the zone's; empty when the zone has none. */
    public Optional<Duration> retention(String zone, String topic) {
        Duration override = settings.topics().get(topic);
        return override != null ? Optional.of(override) : Optional.ofNullable(settings.zones().get(zone));
    }

    /** Partitions whose hour ended at or before this instant have expired; empty when the zone is kept forever. */
    public Optional<Instant> cutoff(String zone, String topic, Instant now) {
        Instant guard = now.minus(settings.openHourGuard());
        return retention(zone, topic).map(retention -> {
            Instant byRetention = now.minus(retention);
            return byRetention.isBefore(guard) ? byRetention : guard;
        });
    }

    /** Whether the partition at {@code path} (year=/month=/day=/hour=...) has expired at {@code now}. */
    public boolean expired(String zone, String topic, String path, Instant now) {
        Optional<Instant> cutoff = cutoff(zone, topic, now);
        Optional<Instant> end = HourPartitions.hourEnd(path, settings.zone());
        return cutoff.isPresent() && end.isPresent() && !end.get().isAfter(cutoff.get());
    }
}
