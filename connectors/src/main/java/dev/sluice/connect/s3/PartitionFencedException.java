package dev.sluice.connect.s3;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Another task has taken over a partition this task still had (its checkpoint changed under it). The writer has
 * discarded its open files without publishing them; the task stops writing the partition until it is assigned
 * again.
 */
final class PartitionFencedException extends ConnectException {

    private final TopicPartition partition;

    PartitionFencedException(TopicPartition partition, String message, Throwable cause) {
        super(message, cause);
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }
}
