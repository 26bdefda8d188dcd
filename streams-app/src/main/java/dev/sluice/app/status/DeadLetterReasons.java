package dev.sluice.app.status;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dead-letter counts by reason, with a bounded number of reasons. The reasons come from record headers, which anyone
 * who may write a dead-letter topic controls: counted as they come, a stream of made-up reasons would grow the map
 * without end. Past {@link #MAX_REASONS} distinct reasons, new ones are counted under {@link #OTHER}; reasons already
 * known keep counting. Written by one thread (the monitor's), read by any.
 */
final class DeadLetterReasons {

    /** Why records were dead-lettered. */
    record Reason(String stage, String code, String rule) {
    }

    /** Far more than the stages × codes × rules the app produces (a few dozen). */
    static final int MAX_REASONS = 1_000;
    /** Where reasons beyond the bound are counted. */
    static final Reason OTHER = new Reason("other", "OTHER", null);

    private final Map<Reason, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(Reason reason) {
        LongAdder count = counts.get(reason);
        if (count == null) {
            count = counts.computeIfAbsent(counts.size() < MAX_REASONS ? reason : OTHER, r -> new LongAdder());
        }
        count.increment();
    }

    /** The counts as they are now. */
    Map<Reason, Long> snapshot() {
        Map<Reason, Long> snapshot = new HashMap<>();
        counts.forEach((reason, count) -> snapshot.put(reason, count.sum()));
        return snapshot;
    }
}
