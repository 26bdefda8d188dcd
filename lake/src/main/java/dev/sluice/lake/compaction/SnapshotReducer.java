package dev.sluice.lake.compaction;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Keeps the latest row per key of rows fed in Kafka order. Memory is one row per distinct key (bounded by
 * {@code maxKeys}); that is the price of a snapshot, and the reason it is a per-topic option.
 */
final class SnapshotReducer {

    private final SnapshotSpec spec;
    private final long maxKeys;
    /** The setting that bounds {@code maxKeys}, named in the error when a snapshot outgrows it. */
    private final String maxKeysSetting;
    private final Map<List<Object>, Survivor> latest = new HashMap<>();
    private long sequence;

    /**
     * The latest row of one key.
     *
     * @param sequence its position among all rows fed
     * @param row      the row
     * @param key      its Kafka position
     * @param group    the tag it was fed with
     */
    record Survivor(long sequence, GenericRecord row, MergeKey key, int group) {
    }

    SnapshotReducer(SnapshotSpec spec, long maxKeys) {
        this(spec, maxKeys, "snapshot-max-keys");
    }

    SnapshotReducer(SnapshotSpec spec, long maxKeys, String maxKeysSetting) {
        this.spec = spec;
        this.maxKeys = maxKeys;
        this.maxKeysSetting = maxKeysSetting;
    }

    /** Feeds the next row, tagged with {@code group}; it replaces any earlier row of its key. */
    void accept(GenericRecord row, MergeKey position, int group) {
        List<Object> key = new ArrayList<>(spec.keyFields().size());
        for (String field : spec.keyFields()) {
            key.add(normalise(value(row, field, true)));
        }
        long seq = sequence++;
        if (isDelete(row) && !spec.keepDeleteMarkers()) {
            latest.remove(key);
            return;
        }
        latest.put(key, new Survivor(seq, row, position, group));
        if (latest.size() > maxKeys) {
            throw new IllegalStateException("the snapshot holds more than " + maxKeys + " keys (" + maxKeysSetting
                    + ")");
        }
    }

    /** Rows fed so far. */
    long rowsSeen() {
        return sequence;
    }

    /** The latest row of every key still present, in Kafka order. */
    List<Survivor> survivors() {
        List<Survivor> rows = new ArrayList<>(latest.values());
        rows.sort(Comparator.comparingLong(Survivor::sequence));
        return rows;
    }

    /** Whether {@code row} marks its key deleted. */
    boolean isDelete(GenericRecord row) {
        Object marker = value(row, spec.deletedField(), false);
        return marker instanceof Boolean b ? b : marker != null && "true".equalsIgnoreCase(marker.toString());
    }

    private static Object value(GenericRecord row, String path, boolean required) {
        Object current = row;
        for (String part : path.split("\\.")) {
            if (!(current instanceof GenericRecord record)) {
                return null;
            }
            Schema.Field field = record.getSchema().getField(part);
            if (field == null) {
                if (required) {
                    throw new IllegalArgumentException("key field '" + path + "' is not in the schema "
                            + row.getSchema().getFullName());
                }
                return null;
            }
            current = record.get(field.pos());
        }
        return current;
    }

    /** Values equal as data are equal as keys, whatever Avro class carries them. */
    private static Object normalise(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.duplicate();
        }
        if (value instanceof GenericFixed fixed) {
            return ByteBuffer.wrap(fixed.bytes());
        }
        return value;
    }
}
