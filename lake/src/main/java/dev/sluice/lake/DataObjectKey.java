package dev.sluice.lake;

/**
 * The parts of a data object key written by {@link ObjectKeyNamer}.
 *
 * @param topic          the Kafka topic, decoded
 * @param partitionPath  the Hive-style partition path between topic and file name
 * @param kafkaPartition the Kafka partition the records came from
 * @param startOffset    the Kafka offset of the first record in the file
 * @param codec          the compression codec named in the file name
 */
public record DataObjectKey(String topic, String partitionPath, int kafkaPartition, long startOffset,
                            ParquetCodec codec) {
}
