package dev.sluice.connect.s3;

import dev.sluice.embedded.S3Server;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Drives an {@link S3ParquetSinkTask} the way the Connect worker does (start, open, put, preCommit,
 * close, stop), against a real S3 server, and remembers the offsets "Kafka" committed. A crash is
 * simply abandoning the task: nothing of it runs any more.
 */
final class SinkHarness {

    private final S3ParquetSinkTask task;
    private final TestSinkTaskContext context;
    private final RecordingErrantReporter reporter;
    private final Map<TopicPartition, Long> committed;
    private final Map<TopicPartition, Long> position = new HashMap<>();

    private SinkHarness(S3ParquetSinkTask task, TestSinkTaskContext context, RecordingErrantReporter reporter,
                        Map<TopicPartition, Long> committed) {
        this.task = task;
        this.context = context;
        this.reporter = reporter;
        this.committed = committed;
        for (TopicPartition tp : context.assignment()) {
            position.put(tp, committed.getOrDefault(tp, 0L));
        }
    }

    /** The connector settings every test starts from: the real server, a prefix of its own. */
    static Map<String, String> config(S3Server s3, String topicsDir) {
        Map<String, String> config = new HashMap<>();
        config.put("s3.bucket.name", S3Server.LAKE_BUCKET);
        config.put("s3.endpoint", s3.endpoint().toString());
        config.put("s3.region", s3.region());
        config.put("s3.path.style.access", "true");
        config.put("aws.access.key.id", s3.accessKey());
        config.put("aws.secret.access.key", s3.secretKey());
        config.put("topics.dir", topicsDir);
        config.put("rotate.idle.ms", "-1");
        return config;
    }

    /** Starts a task and assigns it {@code partitions}, resuming from {@code committed} (shared with later tasks). */
    static SinkHarness start(Map<String, String> config, Set<TopicPartition> partitions, AtomicLong clock,
                             Map<TopicPartition, Long> committed, boolean withReporter) {
        return start(config, partitions, clock, committed, withReporter ? new RecordingErrantReporter() : null);
    }

    /** Starts a task whose errant records go to {@code reporter} (null: none configured). */
    static SinkHarness start(Map<String, String> config, Set<TopicPartition> partitions, AtomicLong clock,
                             Map<TopicPartition, Long> committed, RecordingErrantReporter reporter) {
        TestSinkTaskContext context = new TestSinkTaskContext(config, reporter);
        S3ParquetSinkTask task = new S3ParquetSinkTask(new SteppedClock(clock));
        task.initialize(context);
        task.start(config);
        context.assign(partitions);
        task.open(partitions);
        return new SinkHarness(task, context, reporter, committed);
    }

    static SinkHarness start(Map<String, String> config, Set<TopicPartition> partitions, AtomicLong clock) {
        return start(config, partitions, clock, new HashMap<>(), true);
    }

    /**
     * Delivers {@code log} (the records of {@code tp}, offset = index) from the consumer position up
     * to {@code until}, {@code batch} records per put, honouring rewinds the task requests.
     */
    void deliver(List<SinkRecord> log, TopicPartition tp, long until, int batch) {
        applyRewinds();
        while (position.get(tp) < until) {
            long from = position.get(tp);
            long to = Math.min(until, from + batch);
            task.put(List.copyOf(log.subList((int) from, (int) to)));
            position.put(tp, to);
            applyRewinds();
        }
    }

    private void applyRewinds() {
        position.putAll(context.takeRequestedOffsets());
    }

    /** Moves the consumer position back, as the worker does after a failed offset commit. */
    void seek(TopicPartition tp, long offset) {
        position.put(tp, offset);
    }

    void put(Collection<SinkRecord> records) {
        task.put(List.copyOf(records));
    }

    /** A poll that returned nothing, as the worker delivers between batches. */
    void putNothing() {
        task.put(List.of());
    }

    /** The worker's periodic offset commit: stores what preCommit allows. */
    Map<TopicPartition, Long> commit() {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        for (TopicPartition tp : context.assignment()) {
            current.put(tp, new OffsetAndMetadata(Long.MAX_VALUE));
        }
        Map<TopicPartition, OffsetAndMetadata> allowed = task.preCommit(current);
        allowed.forEach((tp, offset) -> committed.put(tp, offset.offset()));
        return Map.copyOf(committed);
    }

    /** Where a new owner would start consuming {@code tp}. */
    long committed(TopicPartition tp) {
        return committed.getOrDefault(tp, 0L);
    }

    Map<TopicPartition, Long> committedOffsets() {
        return committed;
    }

    /** A clean shutdown: commit, revoke, stop. */
    void stop() {
        commit();
        task.close(context.assignment());
        task.stop();
    }

    TestSinkTaskContext context() {
        return context;
    }

    RecordingErrantReporter reporter() {
        return reporter;
    }

    S3ParquetSinkTask task() {
        return task;
    }

    /** The task's clock: the epoch milliseconds in {@code millis}, which a test moves forward. */
    private static final class SteppedClock extends Clock {
        private final AtomicLong millis;

        SteppedClock(AtomicLong millis) {
            this.millis = millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the sink reads instants only");
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
