package dev.sluice.connect.s3;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.OffsetCheckpoints.Checkpoint;
import dev.sluice.lake.OffsetCheckpoints.CheckpointConflictException;
import dev.sluice.lake.OffsetCheckpoints.Versioned;
import dev.sluice.lake.OffsetCheckpoints;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The task's offset checkpoints ({@link OffsetCheckpoints}) under its prefix, and with them its ownership of each
 * assigned partition. A checkpoint is written after every group of files is uploaded, so it is never behind S3 by
 * more than one group, whereas Kafka's committed offset can lag by a whole commit interval; on assignment the task
 * skips records below it.
 *
 * <p>Fencing: on assignment the task <em>claims</em> the partition by rewriting its checkpoint with itself as owner,
 * conditionally on the ETag it read; every later write (before a group's files are published, and the checkpoint
 * after them) is conditional on the ETag of its own previous write. A task that has lost the partition to another
 * (a zombie that outlived {@code max.poll.interval.ms}, or a second connector writing the same prefix) therefore
 * fails its next write with {@link PartitionFencedException} before it publishes anything. Other failures become
 * {@link ConnectException}s naming the object.
 */
final class S3OffsetCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(S3OffsetCheckpoints.class);
    /** Claims lost in a row to a writer that keeps writing; a zombie writes a few more times at most. */
    static final int MAX_CLAIM_ATTEMPTS = 5;

    /**
     * The partition as this task took it over.
     *
     * @param nextOffset the next offset not yet in S3; empty if nothing was ever checkpointed
     * @param etag       what this task's next write must find
     * @param topicId    the topic id the checkpoint counts offsets of, if known
     * @param commitsMarked whether the checkpoint was written by a sink that marks its offset commits
     *                      ({@link dev.sluice.lake.LakeCommitMark}); older checkpoints name no owner
     */
    record Claim(OptionalLong nextOffset, String etag, Optional<String> topicId, boolean commitsMarked) {
    }

    private final OffsetCheckpoints checkpoints;
    private final ObjectKeyNamer namer;
    private final String owner;

    /** @param owner names this task instance in the checkpoints it writes, for the message a fenced task logs */
    S3OffsetCheckpoints(S3Client s3, String bucket, ObjectKeyNamer namer, String owner) {
        this.checkpoints = new OffsetCheckpoints(s3, bucket);
        this.namer = namer;
        this.owner = owner;
    }

    /**
     * Takes the partition over: reads its checkpoint, checks it belongs to the topic as it is now, and writes it
     * back with this task as owner.
     *
     * @param topicId the topic's current id, when the cluster could be asked
     * @throws StaleCheckpointException if the checkpoint was written for another incarnation of the topic
     */
    Claim claim(TopicPartition tp, Optional<String> topicId) {
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned> current = read(tp);
            Optional<Checkpoint> checkpoint = current.map(Versioned::checkpoint);
            OptionalLong next = checkpoint.map(Checkpoint::nextOffset).orElse(OptionalLong.empty());
            Optional<String> recordedId = checkpoint.flatMap(Checkpoint::topicId);
            if (recordedId.isPresent() && topicId.isPresent() && !recordedId.equals(topicId)) {
                throw new StaleCheckpointException(tp, location(tp), next, recordedId.get(), topicId.get());
            }
            Optional<String> id = topicId.or(() -> recordedId);
            try {
                String etag = write(tp, new Checkpoint(next, Optional.of(owner), id),
                        current.map(Versioned::etag).orElse(null));
                checkpoint.flatMap(Checkpoint::owner).filter(previous -> !previous.equals(owner)).ifPresent(
                        previous -> log.info("{}: took over from {}", tp, previous));
                return new Claim(next, etag, id, checkpoint.flatMap(Checkpoint::owner).isPresent());
            } catch (CheckpointConflictException e) {
                if (attempt == MAX_CLAIM_ATTEMPTS) {
                    throw new ConnectException("Could not take over " + tp + ": " + location(tp) + " changed "
                            + MAX_CLAIM_ATTEMPTS + " times in a row while claiming it; is another connector writing "
                            + "the same " + S3ParquetSinkConfig.TOPICS_DIR + "?", e);
                }
            }
        }
    }

    /**
     * Records that every offset below {@code nextOffset} (empty: none yet) of {@code tp} is in S3, if the
     * checkpoint is still as this task last wrote it ({@code etag}); returns the new ETag.
     *
     * @throws PartitionFencedException if another task has written the checkpoint since
     */
    String write(TopicPartition tp, OptionalLong nextOffset, Optional<String> topicId, String etag) {
        Checkpoint checkpoint = new Checkpoint(nextOffset, Optional.of(owner), topicId);
        try {
            return write(tp, checkpoint, etag);
        } catch (CheckpointConflictException e) {
            Optional<Versioned> now = read(tp);
            if (now.isEmpty()) {
                // Deleted under us (by hand, or with its bucket): nobody has claimed the partition since, because a
                // claim writes its owner into the object. Recreate it, unless somebody else does first.
                return write(tp, checkpoint, null);
            }
            if (now.flatMap(v -> v.checkpoint().owner()).filter(owner::equals).isPresent()) {
                // Still ours: a write of ours that failed in transit (timeout) had reached S3 after all, so the
                // ETag we kept is outdated. Nobody claimed since, or the owner would be another.
                return write(tp, checkpoint, now.get().etag());
            }
            String current = now.flatMap(v -> v.checkpoint().owner()).orElse("another task");
            throw new PartitionFencedException(tp, tp + ": " + location(tp) + " is now owned by " + current
                    + "; this task (" + owner + ") no longer writes the partition", e);
        }
    }

    private String write(TopicPartition tp, Checkpoint checkpoint, String etag) {
        try {
            return checkpoints.writeIfUnchanged(namer, tp.topic(), tp.partition(), checkpoint, etag);
        } catch (SdkException e) {
            throw new ConnectException("Writing the offset checkpoint " + location(tp) + " failed", e);
        }
    }

    private Optional<Versioned> read(TopicPartition tp) {
        try {
            return checkpoints.readVersioned(namer, tp.topic(), tp.partition());
        } catch (OffsetCheckpoints.CorruptCheckpointException e) {
            throw new ConnectException(e.getMessage() + "; delete it to fall back to the Kafka committed offset", e);
        } catch (SdkException e) {
            throw new ConnectException("Reading the offset checkpoint " + location(tp) + " failed", e);
        }
    }

    String location(TopicPartition tp) {
        return checkpoints.location(namer, tp.topic(), tp.partition());
    }
}
