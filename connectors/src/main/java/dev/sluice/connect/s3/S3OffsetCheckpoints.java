package dev.sluice.connect.s3;

import dev.sluice.lake.ObjectKeyNamer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The sink's own record, in S3, of how far each Kafka partition is durably written: one small object
 * per partition holding the next offset not yet in S3. It is written after every group of files is
 * uploaded, so it is never behind S3 by more than one group, whereas Kafka's committed offset can
 * lag by a whole commit interval. On start the task skips records below it.
 */
final class S3OffsetCheckpoints {

    private static final String NEXT_OFFSET = "next.offset";

    private final S3Client s3;
    private final String bucket;
    private final ObjectKeyNamer namer;

    S3OffsetCheckpoints(S3Client s3, String bucket, ObjectKeyNamer namer) {
        this.s3 = s3;
        this.bucket = bucket;
        this.namer = namer;
    }

    /** The next offset not yet durable, or empty if the partition was never written under this prefix. */
    OptionalLong read(TopicPartition tp) {
        String key = namer.checkpointKey(tp.topic(), tp.partition());
        String text;
        try {
            text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (SdkException e) {
            throw new ConnectException("Reading the offset checkpoint s3://" + bucket + "/" + key + " failed", e);
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
            return OptionalLong.of(Long.parseLong(props.getProperty(NEXT_OFFSET, "").trim()));
        } catch (IOException | NumberFormatException e) {
            throw new ConnectException("The offset checkpoint s3://" + bucket + "/" + key + " is corrupt; delete it "
                    + "to fall back to the Kafka committed offset", e);
        }
    }

    /** Records that every offset below {@code nextOffset} of {@code tp} is in S3. */
    void write(TopicPartition tp, long nextOffset) {
        String key = namer.checkpointKey(tp.topic(), tp.partition());
        String text = "# written by the Sluice S3 Parquet sink\n" + NEXT_OFFSET + "=" + nextOffset + "\n";
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.fromString(text));
        } catch (SdkException e) {
            throw new ConnectException("Writing the offset checkpoint s3://" + bucket + "/" + key + " failed", e);
        }
    }
}
