package dev.sluice.lake.compaction;

import dev.sluice.lake.PartitionPathFormatter;
import java.util.List;

/**
 * Snapshot mode of a topic that carries table changes (CDC): compaction keeps only the latest row per key, the
 * latest being the last in Kafka order (partition, then offset). A row whose {@code deletedField} is
 * {@code "true"} (or boolean true) marks the key deleted.
 *
 * @param keyFields          dotted paths of the fields that together identify a row
 * @param deletedField       the field marking deletes, {@code __deleted} as the unwrap transform of Debezium writes it
 * @param keepDeleteMarkers  false: a deleted key disappears from the partition; true: its delete row is kept as
 *                           the key's latest version, so readers that combine partitions latest-wins still see the
 *                           delete of a key written in an earlier partition
 */
public record SnapshotSpec(List<String> keyFields, String deletedField, boolean keepDeleteMarkers) {

    /** The delete marker Debezium's ExtractNewRecordState adds with {@code delete.handling.mode=rewrite}. */
    public static final String DEFAULT_DELETED_FIELD = "__deleted";

    public SnapshotSpec {
        if (keyFields == null || keyFields.isEmpty()) {
            throw new IllegalArgumentException("a snapshot needs at least one key field");
        }
        for (String field : keyFields) {
            if (field == null || !PartitionPathFormatter.FIELD_PATH.matcher(field).matches()) {
                throw new IllegalArgumentException("key field '" + field + "' is not a dotted field path");
            }
        }
        if (deletedField == null || !PartitionPathFormatter.FIELD_PATH.matcher(deletedField).matches()) {
            throw new IllegalArgumentException("deleted field '" + deletedField + "' is not a dotted field path");
        }
        keyFields = List.copyOf(keyFields);
    }

    /** Keys by {@code keyFields}, deletes marked by {@value #DEFAULT_DELETED_FIELD}, deleted keys dropped. */
    public static SnapshotSpec of(List<String> keyFields) {
        return new SnapshotSpec(keyFields, DEFAULT_DELETED_FIELD, false);
    }
}
