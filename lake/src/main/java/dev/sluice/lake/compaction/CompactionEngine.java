package dev.sluice.lake.compaction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Batch compaction of the lake the S3 sink writes: merges the small files of closed hour partitions into files of
 * about the target size, in Kafka order, or (snapshot mode) into the latest row per key. Safe against crashes at
 * any point and against concurrent runs; see {@link PartitionCompactor} and {@code docs/lake/compaction.md}.
 *
 * <p>One instance may run many times; runs must not overlap within one instance (different instances, even in
 * different processes, may run concurrently: the conditional manifest writes keep them apart). Closing it stops its
 * S3 request threads; an instance that is never closed holds none while idle.
 */
public final class CompactionEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactionEngine.class);
    /** Concurrent S3 requests of the partition being compacted: footer reads, downloads ahead of the merge. */
    private static final int IO_THREADS = 8;
    /** How long an idle IO thread lives: threads exist only while partitions are being compacted. */
    private static final long IO_THREAD_IDLE_SECONDS = 30;

    private final S3Client s3;
    private final CompactionSettings settings;
    private final Clock clock;
    private final FaultInjector faults;
    private final TopicFilter topics;
    private final PartitionDiscovery discovery;
    private final ExecutorService io;

    public CompactionEngine(S3Client s3, CompactionSettings settings) {
        this(s3, settings, Clock.systemUTC(), FaultInjector.NONE);
    }

    /** An engine with its own clock and a fault injector, for tests. */
    public CompactionEngine(S3Client s3, CompactionSettings settings, Clock clock, FaultInjector faults) {
        this.s3 = s3;
        this.settings = settings;
        this.clock = clock;
        this.faults = faults;
        this.topics = new TopicFilter(settings.topics());
        this.discovery = new PartitionDiscovery(s3, settings.bucket(), settings.zone());
        this.io = ioPool();
    }

    private static ExecutorService ioPool() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, IO_THREAD_IDLE_SECONDS,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "sluice-compaction-io-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The settings. */
    public CompactionSettings settings() {
        return settings;
    }

    /** Compacts every closed partition within the lookback; stops early when the thread is interrupted. */
    public CompactionRunReport run() {
        return run(result -> {
        });
    }

    /** Like {@link #run()}, telling {@code progress} about every partition where something happened. */
    public CompactionRunReport run(Consumer<PartitionResult> progress) {
        Instant started = clock.instant();
        List<PartitionResult> results = new ArrayList<>();
        int examined = 0;
        PartitionCompactor compactor = newCompactor();
        try {
            for (LakePartition partition : closedPartitions()) {
                if (Thread.currentThread().isInterrupted()) {
                    LOG.info("compaction run interrupted examined={}", examined);
                    return new CompactionRunReport(started, clock.instant(), examined, results, true, null);
                }
                examined++;
                PartitionResult result = compactor.compact(partition);
                if (result.outcome() != PartitionResult.Outcome.UNCHANGED || result.deletedFiles() > 0) {
                    results.add(result);
                    progress.accept(result);
                }
            }
        } catch (SdkException | IllegalStateException e) {
            LOG.warn("compaction run stopped examined={} reason={}", examined, e.toString());
            return new CompactionRunReport(started, clock.instant(), examined, results, false,
                    "listing the lake failed: " + e.getMessage());
        }
        CompactionRunReport report = new CompactionRunReport(started, clock.instant(), examined, results, false,
                null);
        LOG.info("compaction run finished examined={} compacted={} failed={} conflicts={}", examined,
                report.count(PartitionResult.Outcome.COMPACTED), report.count(PartitionResult.Outcome.FAILED),
                report.count(PartitionResult.Outcome.CONFLICT));
        return report;
    }

    /**
     * Compacts one partition if it is closed; {@link PartitionResult.Outcome#OPEN} otherwise. The lookback does
     * not apply.
     */
    public PartitionResult compact(LakePartition partition) {
        Optional<Instant> end = PartitionHours.hourEnd(partition.path(), settings.zone());
        if (end.isEmpty() || end.get().isAfter(closedBefore())) {
            return new PartitionResult(partition.toString(), PartitionResult.Outcome.OPEN,
                    end.isEmpty() ? "the path names no hour" : "the hour is not closed before " + closedBefore(),
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO);
        }
        return newCompactor().compact(partition);
    }

    /** The closed partitions within the lookback of every configured prefix and topic. */
    public List<LakePartition> closedPartitions() {
        Instant closedBefore = closedBefore();
        Instant endedAfter = clock.instant().minus(settings.lookback());
        List<LakePartition> partitions = new ArrayList<>();
        for (String prefix : settings.prefixes()) {
            for (String topic : discovery.topics(prefix)) {
                if (topics.matches(topic)) {
                    partitions.addAll(discovery.partitions(prefix, topic, closedBefore, endedAfter));
                }
            }
        }
        return partitions;
    }

    private Instant closedBefore() {
        return clock.instant().minus(settings.closedDelay());
    }

    private PartitionCompactor newCompactor() {
        return new PartitionCompactor(s3, settings, clock, faults, new SinkCheckpoints(s3, settings.bucket()), io);
    }

    /** Stops the IO threads; a run still going fails its current partition. */
    @Override
    public void close() {
        io.shutdownNow();
    }
}
