package dev.sluice.lake;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 sink's record, in S3, of how far each Kafka partition is durably written: one small object per partition
 * at {@link ObjectKeyNamer#checkpointKey}, a properties text whose {@code next.offset} is the next offset not yet in
 * S3. The sink writes it after each group of files and reads it when a partition is assigned; compaction reads it
 * to tell files the sink has finished from files a replay may still replace. The format lives here only.
 *
 * <p>The object also says which task owns the partition ({@code owner}) and which incarnation of the topic it
 * counts offsets of ({@code topic.id}). The sink writes it only conditionally, on the ETag it last saw (or on the
 * object's absence), so a task that another has taken the partition from fails its next write
 * ({@link CheckpointConflictException}) instead of overwriting its successor's progress. A checkpoint may hold an
 * owner but no offset yet: claimed, nothing written.
 *
 * <p>Failures of S3 itself surface as the SDK's exceptions, for each caller to report in its own terms.
 */
public final class OffsetCheckpoints {

    private static final String NEXT_OFFSET = "next.offset";
    private static final String OWNER = "owner";
    private static final String TOPIC_ID = "topic.id";
    private static final int PRECONDITION_FAILED = 412;

    /** What a checkpoint says; {@code nextOffset} empty when the partition is claimed but nothing was written yet. */
    public record Checkpoint(OptionalLong nextOffset, Optional<String> owner, Optional<String> topicId) {
    }

    /** A checkpoint as read, with the ETag a conditional write must match. */
    public record Versioned(Checkpoint checkpoint, String etag) {
    }

    private final S3Client s3;
    private final String bucket;

    public OffsetCheckpoints(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * The next offset of the partition not yet durable, or empty when the partition was never checkpointed under
     * the namer's prefix (or only claimed).
     *
     * @throws CorruptCheckpointException when the object exists but cannot be read as a checkpoint
     */
    public OptionalLong read(ObjectKeyNamer namer, String topic, int kafkaPartition) {
        return readVersioned(namer, topic, kafkaPartition).map(v -> v.checkpoint().nextOffset())
                .orElse(OptionalLong.empty());
    }

    /**
     * The checkpoint with its ETag, or empty when there is none.
     *
     * @throws CorruptCheckpointException when the object exists but cannot be read as a checkpoint
     */
    public Optional<Versioned> readVersioned(ObjectKeyNamer namer, String topic, int kafkaPartition) {
        String key = namer.checkpointKey(topic, kafkaPartition);
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(object.asString(StandardCharsets.UTF_8)));
            String offset = props.getProperty(NEXT_OFFSET);
            String owner = props.getProperty(OWNER);
            if (offset == null && owner == null) {
                throw new NumberFormatException("neither " + NEXT_OFFSET + " nor " + OWNER);
            }
            Checkpoint checkpoint = new Checkpoint(
                    offset == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(offset.trim())),
                    Optional.ofNullable(owner), Optional.ofNullable(props.getProperty(TOPIC_ID)));
            return Optional.of(new Versioned(checkpoint, object.response().eTag()));
        } catch (IOException | NumberFormatException e) {
            throw new CorruptCheckpointException("The offset checkpoint " + location(key) + " is corrupt", e);
        }
    }

    /** Records, unconditionally, that every offset of the partition below {@code nextOffset} is in S3. */
    public void write(ObjectKeyNamer namer, String topic, int kafkaPartition, long nextOffset) {
        put(namer.checkpointKey(topic, kafkaPartition),
                new Checkpoint(OptionalLong.of(nextOffset), Optional.empty(), Optional.empty()), null, false);
    }

    /**
     * Writes {@code checkpoint} if the object still has {@code expectedEtag}, or, with a null {@code expectedEtag},
     * if there is none yet; returns the new ETag.
     *
     * @throws CheckpointConflictException if somebody else wrote the object since
     */
    public String writeIfUnchanged(ObjectKeyNamer namer, String topic, int kafkaPartition, Checkpoint checkpoint,
            String expectedEtag) {
        String key = namer.checkpointKey(topic, kafkaPartition);
        try {
            return put(key, checkpoint, expectedEtag, true);
        } catch (NoSuchKeyException e) {
            // If-Match on an object that is gone: the precondition failed as well.
            throw new CheckpointConflictException("The offset checkpoint " + location(key) + " is gone", e);
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED) {
                throw new CheckpointConflictException("The offset checkpoint " + location(key)
                        + " was written by another task", e);
            }
            throw e;
        }
    }

    private String put(String key, Checkpoint checkpoint, String expectedEtag, boolean conditional) {
        StringBuilder text = new StringBuilder("# written by the Sluice S3 Parquet sink\n");
        checkpoint.nextOffset().ifPresent(offset -> text.append(NEXT_OFFSET).append('=').append(offset).append('\n'));
        checkpoint.owner().ifPresent(owner -> text.append(OWNER).append('=').append(owner).append('\n'));
        checkpoint.topicId().ifPresent(id -> text.append(TOPIC_ID).append('=').append(id).append('\n'));
        return s3.putObject(b -> {
            b.bucket(bucket).key(key).contentType("text/plain");
            if (conditional && expectedEtag == null) {
                b.ifNoneMatch("*");
            } else if (conditional) {
                b.ifMatch(expectedEtag);
            }
        }, RequestBody.fromString(text.toString())).eTag();
    }

    /** Where the checkpoint of the partition lives, as an s3:// URI for messages. */
    public String location(ObjectKeyNamer namer, String topic, int kafkaPartition) {
        return location(namer.checkpointKey(topic, kafkaPartition));
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** A checkpoint object that exists but does not hold an offset. */
    public static final class CorruptCheckpointException extends IllegalStateException {

        CorruptCheckpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A conditional checkpoint write found the object changed: another task wrote it. */
    public static final class CheckpointConflictException extends IllegalStateException {

        CheckpointConflictException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
