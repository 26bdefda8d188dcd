package dev.sluice.connect.s3;

import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A partition's checkpoint does not describe the topic as it is now: the topic was deleted and re-created (another
 * topic id), or the connector's offsets were moved below the checkpoint by somebody else than the sink. Resuming
 * would skip the new records below the checkpoint without writing them, so the task refuses to start the partition.
 * The recovery is in docs/connectors/s3-parquet-sink.md, section "Stale checkpoints".
 */
final class StaleCheckpointException extends ConnectException {

    static final String DOCS = "docs/connectors/s3-parquet-sink.md#stale-checkpoints";

    private StaleCheckpointException(String message) {
        super(message);
    }

    /** The checkpoint counts offsets of a topic that no longer exists under its name. */
    StaleCheckpointException(TopicPartition tp, String location, OptionalLong nextOffset, String recordedId,
            String currentId) {
        this(tp + ": the offset checkpoint " + location + " was written for topic id " + recordedId + ", but "
                + tp.topic() + " now has id " + currentId + " (deleted and re-created). Resuming would skip its "
                + "records below offset " + (nextOffset.isPresent() ? nextOffset.getAsLong() : 0) + ". Move the "
                + "old topic's files and checkpoints aside (or use another " + S3ParquetSinkConfig.TOPICS_DIR
                + "), then restart the task; see " + DOCS);
    }

    /** The group's committed offset was set below the checkpoint by something other than the sink. */
    static StaleCheckpointException offsetReset(TopicPartition tp, String location, long committed,
            long nextOffset) {
        return new StaleCheckpointException(tp + ": the connector's committed offset " + committed + " was set below "
                + "the offset checkpoint " + location + " (next offset " + nextOffset + ") by something other "
                + "than the sink (an offset reset?). Records " + committed + ".." + (nextOffset - 1) + " are in S3 "
                + "already and would be skipped. To keep the lake as it is, reset the offset to " + nextOffset
                + "; to write them again, delete their files and the checkpoint first; then restart the task. See "
                + DOCS);
    }
}
