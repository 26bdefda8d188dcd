package dev.sluice.lake.compaction;

/**
 * A file written by compaction and listed in a partition's manifest.
 *
 * @param name           the file name within the partition directory
 * @param bytes          object size
 * @param rows           number of rows
 * @param firstPartition Kafka partition of the first row
 * @param firstOffset    Kafka offset of the first row (for files without Kafka columns: of its first input)
 */
public record CompactedFile(String name, long bytes, long rows, int firstPartition, long firstOffset) {

    /** Where the file starts in Kafka order. */
    MergeKey firstKey() {
        return new MergeKey(firstPartition, firstOffset);
    }
}
