package dev.sluice.app.aggregate;

import java.time.Duration;

/**
 * When an event is too late for its window, judged against stream time (the highest event time seen so far) the
 * way Kafka Streams' window aggregations judge it, so that the {@link LateEventGate} in front of them diverts
 * exactly what they would otherwise drop without a trace.
 */
public interface Lateness {

    /** Whether an event at {@code eventTime} is too late once stream time is {@code streamTime}. */
    boolean late(long eventTime, long streamTime);

    /**
     * Tumbling windows of {@code size}: late when its window has closed, i.e. window end plus grace is not after
     * stream time (the condition under which Kafka Streams' tumbling-window aggregation skips a record).
     */
    static Lateness tumbling(Duration size, Duration grace) {
        long sizeMs = size.toMillis();
        long graceMs = grace.toMillis();
        return (eventTime, streamTime) -> Windows.start(eventTime, sizeMs) + sizeMs <= streamTime - graceMs;
    }

    /**
     * Session windows: late when the event itself is older than stream time minus grace. Kafka Streams skips a
     * record only if even its merged session ends before that, so this is at least as strict: nothing that passes
     * the gate is dropped inside the aggregation.
     */
    static Lateness session(Duration grace) {
        long graceMs = grace.toMillis();
        return (eventTime, streamTime) -> eventTime < streamTime - graceMs;
    }
}
