package dev.sluice.connect.s3;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.OffsetCheckpoints;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sink's offset checkpoints ({@link OffsetCheckpoints}) under its prefix, per assigned partition. A checkpoint
 * is written after every group of files is uploaded, so it is never behind S3 by more than one group, whereas
 * Kafka's committed offset can lag by a whole commit interval. On start the task skips records below it. Failures
 * become {@link ConnectException}s naming the object.
 */
final class S3OffsetCheckpoints {

    private final OffsetCheckpoints checkpoints;
    private final ObjectKeyNamer namer;

    S3OffsetCheckpoints(S3Client s3, String bucket, ObjectKeyNamer namer) {
        this.checkpoints = new OffsetCheckpoints(s3, bucket);
        this.namer = namer;
    }

    /** The next offset not yet durable, or empty if the partition was never written under this prefix. */
    OptionalLong read(TopicPartition tp) {
        try {
            return checkpoints.read(namer, tp.topic(), tp.partition());
        } catch (OffsetCheckpoints.CorruptCheckpointException e) {
            throw new ConnectException(e.getMessage() + "; delete it to fall back to the Kafka committed offset", e);
        } catch (SdkException e) {
            throw new ConnectException("Reading the offset checkpoint " + location(tp) + " failed", e);
        }
    }

    /** Records that every offset below {@code nextOffset} of {@code tp} is in S3. */
    void write(TopicPartition tp, long nextOffset) {
        try {
            checkpoints.write(namer, tp.topic(), tp.partition(), nextOffset);
        } catch (SdkException e) {
            throw new ConnectException("Writing the offset checkpoint " + location(tp) + " failed", e);
        }
    }

    private String location(TopicPartition tp) {
        return checkpoints.location(namer, tp.topic(), tp.partition());
    }
}
