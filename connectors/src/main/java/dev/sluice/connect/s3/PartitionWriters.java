package dev.sluice.connect.s3;

import dev.sluice.lake.LakeCommitMark;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition writers of one task: creates them on assignment (recovering each from its S3
 * checkpoint), enforces the open-file limit, sweeps idle partitions, collects committable offsets
 * and turns S3 failures into a rewind of the failed partition.
 *
 * <p>On assignment each partition is claimed ({@link S3OffsetCheckpoints#claim}) and checked against the cluster
 * ({@link TopicAndGroupLookup}): a checkpoint of a re-created topic, or a committed offset below the checkpoint that
 * the sink did not commit, fails the task ({@link StaleCheckpointException}). A partition another task has taken
 * over ({@link PartitionFencedException}) is paused and no longer written until it is assigned again.
 */
final class PartitionWriters implements OpenFileBudget {

    private static final Logger log = LoggerFactory.getLogger(PartitionWriters.class);

    /** S3 failures in a row on one partition, each after the SDK's own retries, before the task gives up. */
    static final int MAX_CONSECUTIVE_FAILURES = 10;
    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();
    private final Set<TopicPartition> rewinding = new HashSet<>();
    private final Set<TopicPartition> fenced = new HashSet<>();
    private final TopicAndGroupLookup cluster;
    private final int maxOpenFiles;
    private final SinkTaskContext context;
    private final Function<OpenFileBudget, WriterContext> contextFactory;
    private WriterContext writerContext;
    private long sequence;

    PartitionWriters(int maxOpenFiles, SinkTaskContext context, TopicAndGroupLookup cluster,
            Function<OpenFileBudget, WriterContext> contextFactory) {
        this.maxOpenFiles = maxOpenFiles;
        this.cluster = cluster;
        this.context = context;
        this.contextFactory = contextFactory;
    }

    private WriterContext writerContext() {
        if (writerContext == null) {
            writerContext = contextFactory.apply(this);
        }
        return writerContext;
    }

    /**
     * Creates writers for newly assigned partitions, each resuming after its S3 checkpoint.
     *
     * @throws StaleCheckpointException if a checkpoint does not belong to the topic or offsets as they are now
     */
    void open(Collection<TopicPartition> partitions) {
        Map<String, String> topicIds = cluster.topicIds(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = cluster.committed(partitions);
        for (TopicPartition tp : partitions) {
            if (fenced.remove(tp)) {
                context.resume(tp);
            }
            S3OffsetCheckpoints checkpoints = writerContext().checkpoints();
            S3OffsetCheckpoints.Claim claim = checkpoints.claim(tp, Optional.ofNullable(topicIds.get(tp.topic())));
            OptionalLong checkpoint = claim.nextOffset();
            OffsetAndMetadata commit = committed.get(tp);
            if (claim.commitsMarked() && checkpoint.isPresent() && commit != null
                    && commit.offset() < checkpoint.getAsLong() && !LakeCommitMark.isMarked(commit.metadata())) {
                throw StaleCheckpointException.offsetReset(tp, checkpoints.location(tp), commit.offset(),
                        checkpoint.getAsLong());
            }
            writers.put(tp, new TopicPartitionWriter(tp, writerContext(), claim));
            if (checkpoint.isPresent()) {
                log.info("{}: assigned; records below offset {} are already in S3", tp, checkpoint.getAsLong());
            } else {
                log.info("{}: assigned; no checkpoint, resuming from the committed offset", tp);
            }
        }
    }

    /** Discards the open files of revoked partitions; their records are delivered again to the next owner. */
    void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = writers.remove(tp);
            if (writer != null) {
                writer.discard();
            }
            rewinding.remove(tp);
            fenced.remove(tp);
        }
    }

    void closeAll() {
        close(Set.copyOf(writers.keySet()));
    }

    /** The writer of an assigned partition. */
    TopicPartitionWriter writer(TopicPartition tp) {
        TopicPartitionWriter writer = writers.get(tp);
        if (writer == null) {
            throw new ConnectException("Received a record of " + tp + ", which is not assigned to this task");
        }
        return writer;
    }

    /** Called at the start of each batch: rewinds requested in the previous one have taken effect. */
    void startBatch() {
        rewinding.clear();
    }

    /**
     * Whether records of {@code tp} must be dropped: a rewind is pending in the current batch, or another task has
     * taken the partition over.
     */
    boolean isRewinding(TopicPartition tp) {
        return !(rewinding.isEmpty() && fenced.isEmpty()) && (rewinding.contains(tp) || fenced.contains(tp));
    }

    /**
     * Stops writing a partition another task has taken over (its writer has discarded its files): pauses it, so
     * that nothing more is fetched, and leaves its offsets uncommitted. The worker's next rebalance revokes it; if
     * it is assigned to this task again, {@link #open} claims it anew.
     */
    void fence(PartitionFencedException failure) {
        TopicPartition tp = failure.partition();
        writers.remove(tp);
        fenced.add(tp);
        context.pause(tp);
        log.error("{}", failure.getMessage());
    }

    /**
     * Reacts to an S3 failure: the failed writer has discarded its files, so its records are
     * consumed again from the last durable offset. Gives up after {@value #MAX_CONSECUTIVE_FAILURES}
     * failures in a row.
     */
    void recover(PartitionWriteException failure) {
        TopicPartition tp = failure.partition();
        TopicPartitionWriter writer = writers.get(tp);
        if (writer != null && writer.failuresSinceCommit() >= MAX_CONSECUTIVE_FAILURES) {
            throw new ConnectException(failure.getMessage() + "; giving up after " + MAX_CONSECUTIVE_FAILURES
                    + " failures in a row", failure);
        }
        log.error("{}; consuming again from offset {}", failure.getMessage(), failure.rewindTo(), failure);
        if (failure.rewindTo() >= 0) {
            context.offset(tp, failure.rewindTo());
        }
        rewinding.add(tp);
    }

    /** Rotates partitions idle since the configured time. */
    void rotateIdle(long nowMillis) {
        for (TopicPartitionWriter writer : List.copyOf(writers.values())) {
            try {
                writer.rotateIfIdle(nowMillis);
            } catch (PartitionWriteException e) {
                recover(e);
            } catch (PartitionFencedException e) {
                fence(e);
            }
        }
    }

    /** Offsets of durable records, for Kafka to commit; partitions with nothing new are left out. */
    Map<TopicPartition, OffsetAndMetadata> committableOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartitionWriter writer : writers.values()) {
            OptionalLong offset = writer.committableOffset();
            if (offset.isPresent()) {
                offsets.put(writer.partition(), new OffsetAndMetadata(offset.getAsLong(), writer.commitMark()));
            }
        }
        return offsets;
    }

    @Override
    public void makeRoom(TopicPartitionWriter requester) {
        int open = 0;
        TopicPartitionWriter oldest = null;
        for (TopicPartitionWriter writer : writers.values()) {
            open += writer.openFileCount();
            if (writer.openFileCount() > 0
                    && (oldest == null || writer.oldestFileSequence() < oldest.oldestFileSequence())) {
                oldest = writer;
            }
        }
        if (open < maxOpenFiles || oldest == null) {
            return;
        }
        if (oldest == requester) {
            oldest.closeGroup("the task reached " + S3ParquetSinkConfig.MAX_OPEN_FILES + "=" + maxOpenFiles);
            return;
        }
        try {
            oldest.closeGroup("the task reached " + S3ParquetSinkConfig.MAX_OPEN_FILES + "=" + maxOpenFiles);
        } catch (PartitionWriteException e) {
            recover(e);
        } catch (PartitionFencedException e) {
            fence(e);
        }
    }

    @Override
    public long nextSequence() {
        return sequence++;
    }
}
