package dev.sluice.connect.s3;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Writing one Kafka partition failed (S3, or the dead letter queue). Its writer has already
 * discarded its open files; the records from {@link #rewindTo()} on must be delivered again.
 */
final class PartitionWriteException extends ConnectException {

    private final TopicPartition partition;
    private final long rewindTo;

    PartitionWriteException(TopicPartition partition, long rewindTo, String message, Throwable cause) {
        super(message, cause);
        this.partition = partition;
        this.rewindTo = rewindTo;
    }

    TopicPartition partition() {
        return partition;
    }

    /** The offset to re-consume from, or -1 if no record of the partition was seen. */
    long rewindTo() {
        return rewindTo;
    }
}
