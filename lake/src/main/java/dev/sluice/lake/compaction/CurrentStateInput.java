package dev.sluice.lake.compaction;

/**
 * A file a current-state snapshot is built from: a file of the previous snapshot or a published changelog file of
 * the hour.
 *
 * @param key      its object key
 * @param bytes    its size
 * @param firstKey where its rows start in Kafka order
 */
record CurrentStateInput(String key, long bytes, MergeKey firstKey) {
}
