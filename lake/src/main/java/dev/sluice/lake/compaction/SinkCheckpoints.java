package dev.sluice.lake.compaction;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.OffsetCheckpoints;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 sink's offset checkpoints ({@link OffsetCheckpoints}) as compaction consults them. A sink file whose start
 * offset is below its partition's checkpoint belongs to a group the sink has finished: the sink never writes it
 * again. Files at or above it may still be replaced by a replay, so compaction leaves them alone. Values are cached
 * for the life of the instance (one run).
 */
final class SinkCheckpoints {

    private final OffsetCheckpoints checkpoints;
    private final Map<String, OptionalLong> cache = new HashMap<>();

    SinkCheckpoints(S3Client s3, String bucket) {
        this.checkpoints = new OffsetCheckpoints(s3, bucket);
    }

    /**
     * The next offset the sink has not made durable; empty when the partition has no checkpoint.
     *
     * @throws OffsetCheckpoints.CorruptCheckpointException when the checkpoint holds no readable offset
     */
    OptionalLong nextOffset(String prefix, String topic, int kafkaPartition) {
        ObjectKeyNamer namer = new ObjectKeyNamer(prefix);
        return cache.computeIfAbsent(namer.checkpointKey(topic, kafkaPartition),
                key -> checkpoints.read(namer, topic, kafkaPartition));
    }
}
