package dev.sluice.app.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A computation that concurrent callers share and whose result later callers reuse for a while: the status
 * answers that ask every other instance, the Kafka admin API or Kafka Connect. Without it each request (a console
 * polls, several may be open, anyone may loop on an open read endpoint) made that fan-out again.
 *
 * <p>The first caller computes on its own thread; callers arriving meanwhile wait for that result instead of
 * starting another (no thundering herd). A result is reused until {@code ttl} after it was computed, judged by
 * {@code clock}. A computation that throws is not kept: its waiting callers get the exception, the next caller
 * computes again. (A result that describes an error, such as lag unknown, is a result and is kept for the TTL.)
 */
public final class SharedComputation<T> {

    private final Supplier<T> computation;
    private final Duration ttl;
    private final Clock clock;
    /** The computation in flight or the last result; guarded by this. */
    private CompletableFuture<T> current;
    /** When {@link #current} completed normally; guarded by this, set before it completes. */
    private Instant computedAt;

    public SharedComputation(Supplier<T> computation, Duration ttl, Clock clock) {
        this.computation = computation;
        this.ttl = ttl;
        this.clock = clock;
    }

    public T get() {
        CompletableFuture<T> answer;
        boolean computeHere;
        synchronized (this) {
            computeHere = current == null || current.isCompletedExceptionally()
                    || current.isDone() && !clock.instant().isBefore(computedAt.plus(ttl));
            if (computeHere) {
                current = new CompletableFuture<>();
            }
            answer = current;
        }
        if (computeHere) {
            try {
                T value = computation.get();
                synchronized (this) {
                    computedAt = clock.instant();
                }
                answer.complete(value);
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
