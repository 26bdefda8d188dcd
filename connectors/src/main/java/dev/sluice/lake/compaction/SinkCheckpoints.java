package dev.sluice.lake.compaction;

import dev.sluice.lake.ObjectKeyNamer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads the S3 sink's offset checkpoints ({@code <prefix>/_sluice/checkpoints/<topic>/<partition>}, a properties
 * text with {@code next.offset}). A sink file whose start offset is below its partition's checkpoint belongs to a
 * group the sink has finished: the sink never writes it again. Files at or above it may still be replaced by a
 * replay, so compaction leaves them alone. Values are cached for the life of the instance (one run).
 */
final class SinkCheckpoints {

    private static final String NEXT_OFFSET = "next.offset";

    private final S3Client s3;
    private final String bucket;
    private final Map<String, OptionalLong> cache = new HashMap<>();

    SinkCheckpoints(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The next offset the sink has not made durable; empty when the partition has no checkpoint. */
    OptionalLong nextOffset(String prefix, String topic, int kafkaPartition) {
        String key = new ObjectKeyNamer(prefix).checkpointKey(topic, kafkaPartition);
        return cache.computeIfAbsent(key, this::read);
    }

    private OptionalLong read(String key) {
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
            throw new IllegalStateException("The sink checkpoint s3://" + bucket + "/" + key + " is not readable", e);
        }
    }
}
