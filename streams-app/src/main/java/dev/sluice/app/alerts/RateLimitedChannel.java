package dev.sluice.app.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A channel that passes at most {@code limit} notifications per sliding {@code window} and drops the rest, so a
 * flapping rule or a broken pipeline cannot flood a Slack channel or an SNS topic; {@code GET /api/alerts} still
 * shows everything.
 */
public class RateLimitedChannel {

    private final AlertChannel channel;
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> sent = new ArrayDeque<>();
    private long dropped;

    public RateLimitedChannel(AlertChannel channel, int limit, Duration window, Clock clock) {
        this.channel = channel;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    public String name() {
        return channel.name();
    }

    /**
     * Sends unless the limit is reached.
     *
     * @return whether the notification was passed to the channel (sent, or failed in it)
     */
    public synchronized boolean offer(Notification notification) throws Exception {
        Instant now = clock.instant();
        while (!sent.isEmpty() && !sent.peekFirst().isAfter(now.minus(window))) {
            sent.removeFirst();
        }
        if (sent.size() >= limit) {
            dropped++;
            return false;
        }
        sent.addLast(now);
        channel.send(notification);
        return true;
    }

    /** Notifications dropped by the limit so far. */
    public synchronized long dropped() {
        return dropped;
    }
}
