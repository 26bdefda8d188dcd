package dev.sluice.connect.s3;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetFileSettings;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every {@link TopicPartitionWriter} of a task shares.
 *
 * @param clock wall clock in epoch milliseconds, for idle rotation only
 */
record WriterContext(S3Client s3, ParquetFileSettings settings, ObjectKeyNamer namer,
                     ConnectToAvroConverter converter, RotationPolicy policy, S3OffsetCheckpoints checkpoints,
                     LongSupplier clock, OpenFileBudget budget) {
}
