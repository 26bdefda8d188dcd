package dev.sluice.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.sluice.embedded.Await;

/** Concurrent callers share one computation, later ones reuse it for the TTL, failures are not kept. */
class SharedComputationTest {

    private static final Duration TTL = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final AtomicInteger computations = new AtomicInteger();

    @Test
    void concurrentCallersShareTheComputationInFlight() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedComputation<String> shared = new SharedComputation<>(() -> {
            started.countDown();
            await(release);
            return "answer " + computations.incrementAndGet();
        }, TTL, clock);
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Thread> threads = new ArrayList<>();
        try {
            List<Future<String>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
                return shared.get();
            }));
            assertEquals(true, started.await(10, TimeUnit.SECONDS));
            for (int i = 1; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    return shared.get();
                }));
            }
            // Every other caller is parked waiting for the one computation before it is let go.
            Await.until("all callers waiting", Duration.ofSeconds(10), () -> {
                synchronized (threads) {
                    // The computing caller waits on the latch (timed), the others on its result.
                    return threads.size() == callers && threads.stream().allMatch(
                            t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
                }
            });
            release.countDown();
            for (Future<String> answer : answers) {
                assertEquals("answer 1", answer.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, computations.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aResultIsReusedUntilTheTtlThenComputedAgain() {
        SharedComputation<String> shared = new SharedComputation<>(() -> "answer " + computations.incrementAndGet(),
                TTL, clock);
        String first = shared.get();
        clock.advance(TTL.minusMillis(1));
        assertSame(first, shared.get(), "within the TTL");
        assertEquals(1, computations.get());

        clock.advance(Duration.ofMillis(1));
        assertEquals("answer 2", shared.get(), "at the TTL");
        assertEquals(2, computations.get());
    }

    @Test
    void aFailureIsNotKept() {
        SharedComputation<String> shared = new SharedComputation<>(() -> {
            if (computations.incrementAndGet() == 1) {
                throw new IllegalStateException("admin unavailable");
            }
            return "answer " + computations.get();
        }, TTL, clock);
        assertEquals("admin unavailable", assertThrows(IllegalStateException.class, shared::get).getMessage());
        assertEquals("answer 2", shared.get(), "the next caller computes again, within the TTL");
    }

    @Test
    void aZeroTtlComputesEveryCall() {
        SharedComputation<String> shared = new SharedComputation<>(() -> "answer " + computations.incrementAndGet(),
                Duration.ZERO, clock);
        shared.get();
        shared.get();
        assertEquals(2, computations.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
