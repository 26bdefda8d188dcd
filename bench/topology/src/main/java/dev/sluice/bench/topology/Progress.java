package dev.sluice.bench.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples a run's input progress (records whose consumption is committed, or counted by a loop) over time, and fits
 * the steady-state rate: the least-squares slope of progress against time over the middle of the input (20% to 80%
 * by default), so that start-up, warm-up of caches and the drain tail stay out of it.
 */
final class Progress implements AutoCloseable {

    record Sample(long nanos, long count) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-progress");
        t.setDaemon(true);
        return t;
    });
    private final long start = System.nanoTime();

    Progress(LongSupplier progress, long periodMillis) {
        timer.scheduleAtFixedRate(() -> {
            long count;
            try {
                count = progress.getAsLong();
            } catch (RuntimeException e) {
                return;
            }
            long now = System.nanoTime();
            synchronized (samples) {
                samples.add(new Sample(now, count));
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    long start() {
        return start;
    }

    long last() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).count();
        }
    }

    /** Nanos (from {@link System#nanoTime()}) of the first sample at or above {@code count}; -1 if none. */
    long reached(long count) {
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.count() >= count) {
                    return s.nanos();
                }
            }
        }
        return -1;
    }

    /** Records per second: slope of progress over the samples with {@code from * total <= count <= to * total}. */
    double slope(long total, double from, double to) {
        List<Sample> window = new ArrayList<>();
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.count() >= from * total && s.count() <= to * total) {
                    window.add(s);
                }
            }
        }
        if (window.size() < 3) {
            long a = reached((long) (from * total));
            long b = reached((long) (to * total));
            if (a >= 0 && b > a) {
                return (to - from) * total / ((b - a) / 1e9);
            }
            long end = reached(total);
            // too fast for the sampling period: the average rate from the start
            return end > start ? total / ((end - start) / 1e9) : Double.NaN;
        }
        double n = window.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : window) {
            double x = (s.nanos() - start) / 1e9;
            double y = s.count();
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
