package dev.sluice.lake.iceberg;

import java.util.List;
import java.util.Optional;

import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;

/**
 * The {@code hours(...)} field of a table's partition spec, which says when a partition's hour is over. The sink's
 * tables are partitioned by {@code hours(__kafka_timestamp)} plus configured fields; a table without an hour field
 * has no closed partitions and is never compacted.
 */
record HourPartitionField(int position) {

    private static final long HOUR_MS = 3_600_000L;

    static Optional<HourPartitionField> of(PartitionSpec spec) {
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            if ("hour".equals(fields.get(i).transform().toString())) {
                return Optional.of(new HourPartitionField(i));
            }
        }
        return Optional.empty();
    }

    /** When the hour of {@code partition} ends, in epoch milliseconds; empty for a null hour. */
    Optional<Long> endMillis(StructLike partition) {
        Integer hour = partition.get(position, Integer.class);
        return hour == null ? Optional.empty() : Optional.of((hour + 1L) * HOUR_MS);
    }
}
