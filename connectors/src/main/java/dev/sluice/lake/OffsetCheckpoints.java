package dev.sluice.lake;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.Properties;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The S3 sink's record, in S3, of how far each Kafka partition is durably written: one small object per partition
 * at {@link ObjectKeyNamer#checkpointKey}, a properties text whose {@code next.offset} is the next offset not yet in
 * S3. The sink writes it after each group of files and reads it when a partition is assigned; compaction reads it
 * to tell files the sink has finished from files a replay may still replace. The format lives here only.
 *
 * <p>Failures of S3 itself surface as the SDK's exceptions, for each caller to report in its own terms.
 */
public final class OffsetCheckpoints {

    private static final String NEXT_OFFSET = "next.offset";

    private final S3Client s3;
    private final String bucket;

    public OffsetCheckpoints(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * The next offset of the partition not yet durable, or empty when the partition was never checkpointed under
     * the namer's prefix.
     *
     * @throws CorruptCheckpointException when the object exists but holds no readable offset
     */
    public OptionalLong read(ObjectKeyNamer namer, String topic, int kafkaPartition) {
        String key = namer.checkpointKey(topic, kafkaPartition);
        String text;
        try {
            text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
            return OptionalLong.of(Long.parseLong(props.getProperty(NEXT_OFFSET, "").trim()));
        } catch (IOException | NumberFormatException e) {
            throw new CorruptCheckpointException("The offset checkpoint " + location(key) + " is corrupt", e);
        }
    }

    /** Records that every offset of the partition below {@code nextOffset} is in S3. */
    public void write(ObjectKeyNamer namer, String topic, int kafkaPartition, long nextOffset) {
        String key = namer.checkpointKey(topic, kafkaPartition);
        String text = "# written by the Sluice S3 Parquet sink\n" + NEXT_OFFSET + "=" + nextOffset + "\n";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromString(text));
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
}
