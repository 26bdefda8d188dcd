package dev.sluice.connect.s3;

import dev.sluice.lake.ParquetRecordWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * When open files are rotated (uploaded and a new file started):
 * <ul>
 *   <li>a file holds {@code maxRecords} records, or would be {@code maxBytes} bytes;</li>
 *   <li>a record's event time enters a window of {@code intervalMs} (aligned to local midnight of the
 *       zone) newer than every window seen before on its Kafka partition;</li>
 *   <li>the Kafka partition has had no record for {@code idleMs} of wall-clock time.</li>
 * </ul>
 * Pure decisions; {@link TopicPartitionWriter} acts on them.
 */
final class RotationPolicy {

    /** The window of every record when event-time rotation is disabled. */
    static final long NO_WINDOW = Long.MIN_VALUE;

    private final long maxRecords;
    private final long maxBytes;
    private final long intervalMs;
    private final long idleMs;
    private final ZoneRules zoneRules;

    /**
     * @param intervalMs event-time window length, or -1 to disable
     * @param idleMs     idle time before rotation, or -1 to disable
     */
    RotationPolicy(long maxRecords, long maxBytes, long intervalMs, long idleMs, ZoneId zone) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.intervalMs = intervalMs;
        this.idleMs = idleMs;
        this.zoneRules = zone.getRules();
    }

    static RotationPolicy from(S3ParquetSinkConfig config) {
        return new RotationPolicy(config.flushSize(), config.rotateBytes(), config.rotateIntervalMs(),
                config.rotateIdleMs(), config.zone());
    }

    /** Whether a file with this many records and bytes is complete. */
    boolean isFull(long records, long bytes) {
        return records >= maxRecords || bytes >= maxBytes;
    }

    /** Whether {@code file} holds as many records or bytes as a file may. */
    boolean isFull(ParquetRecordWriter file) {
        return file.records() >= maxRecords || file.hasReached(maxBytes);
    }

    /** The event-time window of a record, comparable across records; {@link #NO_WINDOW} if disabled. */
    long window(long eventTimeMillis) {
        if (intervalMs <= 0) {
            return NO_WINDOW;
        }
        long offsetMillis = zoneRules.getOffset(Instant.ofEpochMilli(eventTimeMillis)).getTotalSeconds() * 1000L;
        return Math.floorDiv(eventTimeMillis + offsetMillis, intervalMs);
    }

    /** Whether a record in {@code window} must rotate files whose newest window is {@code highWater}. */
    boolean entersNewWindow(long highWater, long window) {
        return highWater != NO_WINDOW && window > highWater;
    }

    /** Whether files last written at {@code lastRecordMillis} should be rotated at {@code nowMillis}. */
    boolean isIdle(long lastRecordMillis, long nowMillis) {
        return idleMs > 0 && nowMillis - lastRecordMillis >= idleMs;
    }
}
