package dev.sluice.embedded;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the only way the platform and its tests wait. */
public final class Await {

    private static final long POLL_INTERVAL_MS = 100;

    private Await() {
    }

    /**
     * Polls {@code condition} until it returns true. Exceptions thrown by the condition count as "not yet" and the
     * last one becomes the cause of the timeout.
     *
     * @throws AwaitTimeoutException when the deadline passes first
     */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        until(what, timeout, condition, () -> true);
    }

    /** Like {@link #until(String, Duration, Callable)}, but gives up early once {@code stillWorthWaiting} is false. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition,
            Supplier<Boolean> stillWorthWaiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (!stillWorthWaiting.get()) {
                throw new AwaitTimeoutException(what + ": gave up, the process is gone", last);
            }
            if (System.nanoTime() > deadline) {
                throw new AwaitTimeoutException(what + ": not true within " + timeout, last);
            }
            try {
                Thread.sleep(POLL_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AwaitTimeoutException(what + ": interrupted", e);
            }
        }
    }

    /** A condition that did not become true in time. */
    public static final class AwaitTimeoutException extends RuntimeException {
        public AwaitTimeoutException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
