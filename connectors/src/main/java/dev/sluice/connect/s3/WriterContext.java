package dev.sluice.connect.s3;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetFileSettings;
import java.time.Clock;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every {@link TopicPartitionWriter} of a task shares.
 *
 * @param deadLetters the worker's errant record reporter, or null if the task has none
 * @param clock       wall clock, for idle rotation and the lake's freshness
 * @param freshness   where published groups' latency from their source time is recorded
 */
record WriterContext(S3Client s3, ParquetFileSettings settings, ObjectKeyNamer namer,
                     ConnectToAvroConverter converter, RotationPolicy policy, S3OffsetCheckpoints checkpoints,
                     ErrantRecordReporter deadLetters, Clock clock, OpenFileBudget budget,
                     LakeFreshness freshness) {
}
