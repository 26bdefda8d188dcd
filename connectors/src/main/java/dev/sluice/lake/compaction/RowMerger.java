package dev.sluice.lake.compaction;

import java.io.Closeable;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Merges sources into one stream of rows in Kafka order. Rows with the sink's {@code __kafka_partition} and
 * {@code __kafka_offset} columns are ordered by them; rows without are ordered as their file's first key, so such
 * files are kept whole and in order of their first keys.
 *
 * <p>A source is opened only when the merge reaches its first key and closed when it is exhausted. Files of one
 * partition rarely overlap in Kafka order (the sink's files of one Kafka partition and path never do), so usually
 * one source is open at a time, and memory stays at one row group whatever the number of inputs.
 */
final class RowMerger implements Closeable {

    static final String PARTITION_COLUMN = "__kafka_partition";
    static final String OFFSET_COLUMN = "__kafka_offset";

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(
            Comparator.comparing((Entry e) -> e.key).thenComparingInt(e -> e.ordinal));
    private MergeKey lastKey;
    private int lastSource;

    private static final class Entry {
        final RowSource source;
        final int ordinal;
        boolean opened;
        GenericRecord current;
        MergeKey key;

        Entry(RowSource source, int ordinal) {
            this.source = source;
            this.ordinal = ordinal;
            this.key = source.firstKey();
        }
    }

    RowMerger(List<? extends RowSource> sources) {
        for (int i = 0; i < sources.size(); i++) {
            queue.add(new Entry(sources.get(i), i));
        }
    }

    /** The next row in Kafka order, or null when every source is exhausted. */
    GenericRecord next() throws IOException {
        while (true) {
            Entry entry = queue.poll();
            if (entry == null) {
                return null;
            }
            if (!entry.opened) {
                entry.opened = true;
                entry.source.open();
                advance(entry);
                continue;
            }
            GenericRecord row = entry.current;
            lastKey = entry.key;
            lastSource = entry.ordinal;
            advance(entry);
            return row;
        }
    }

    /** The Kafka position of the row {@link #next()} returned last. */
    MergeKey lastKey() {
        return lastKey;
    }

    /** The index, in the list given to the constructor, of the source of the row {@link #next()} returned last. */
    int lastSource() {
        return lastSource;
    }

    private void advance(Entry entry) throws IOException {
        entry.current = entry.source.next();
        if (entry.current == null) {
            entry.source.close();
            return;
        }
        entry.key = keyOf(entry.current, entry.source.firstKey());
        queue.add(entry);
    }

    private static MergeKey keyOf(GenericRecord row, MergeKey fileKey) {
        Schema schema = row.getSchema();
        if (schema.getField(PARTITION_COLUMN) == null || schema.getField(OFFSET_COLUMN) == null) {
            return fileKey;
        }
        Object partition = row.get(PARTITION_COLUMN);
        Object offset = row.get(OFFSET_COLUMN);
        if (partition instanceof Number p && offset instanceof Number o) {
            return new MergeKey(p.intValue(), o.longValue());
        }
        return fileKey;
    }

    /** Closes the sources still open. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Entry entry : queue) {
            if (entry.opened) {
                try {
                    entry.source.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        queue.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
