package dev.sluice.lake.compaction;

import java.util.Comparator;

/**
 * A position in Kafka order: partition, then offset. Rows of a compacted file are in this order.
 *
 * @param partition Kafka partition
 * @param offset    Kafka offset
 */
record MergeKey(int partition, long offset) implements Comparable<MergeKey> {

    private static final Comparator<MergeKey> ORDER =
            Comparator.comparingInt(MergeKey::partition).thenComparingLong(MergeKey::offset);

    @Override
    public int compareTo(MergeKey other) {
        return ORDER.compare(this, other);
    }
}
