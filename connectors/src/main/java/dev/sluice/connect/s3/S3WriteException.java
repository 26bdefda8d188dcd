package dev.sluice.connect.s3;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Writing to S3 failed for one Kafka partition. Its writer has already discarded its open files;
 * the records from {@link #rewindTo()} on must be delivered again.
 */
final class S3WriteException extends ConnectException {

    private final TopicPartition partition;
    private final long rewindTo;

    S3WriteException(TopicPartition partition, long rewindTo, String message, Throwable cause) {
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
