package dev.sluice.lake.compaction;

import dev.sluice.lake.KafkaColumns;
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
 * one source is open at a time, and memory stays at one row group whatever the number of inputs. For the same
 * reason the source of the last row usually has the next one too; it is kept out of the queue while it does.
 */
final class RowMerger implements Closeable {

    private static final Comparator<Entry> ORDER =
            Comparator.comparing((Entry e) -> e.key).thenComparingInt(e -> e.ordinal);

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(ORDER);
    /** The open source with the smallest key, kept out of the queue; null when the queue's head is next. */
    private Entry active;
    private MergeKey lastKey;
    private int lastSource;

    private static final class Entry {
        final RowSource source;
        final int ordinal;
        boolean opened;
        GenericRecord current;
        MergeKey key;
        /** Positions of the Kafka columns in the source's rows; -1 when it has none. */
        int partitionField = -2;
        int offsetField = -2;

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
            Entry entry;
            if (active != null && (queue.isEmpty() || ORDER.compare(active, queue.peek()) <= 0)) {
                entry = active;
            } else {
                if (active != null) {
                    queue.add(active);
                }
                entry = queue.poll();
            }
            active = null;
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
        entry.key = keyOf(entry);
        active = entry;
    }

    /** The row's Kafka position from its Kafka columns, else its file's first key. */
    private static MergeKey keyOf(Entry entry) {
        GenericRecord row = entry.current;
        if (entry.partitionField == -2) {
            Schema schema = row.getSchema();
            Schema.Field partition = schema.getField(KafkaColumns.PARTITION);
            Schema.Field offset = schema.getField(KafkaColumns.OFFSET);
            entry.partitionField = partition == null || offset == null ? -1 : partition.pos();
            entry.offsetField = partition == null || offset == null ? -1 : offset.pos();
        }
        if (entry.partitionField >= 0 && row.get(entry.partitionField) instanceof Number p
                && row.get(entry.offsetField) instanceof Number o) {
            return new MergeKey(p.intValue(), o.longValue());
        }
        return entry.source.firstKey();
    }

    /** Closes the sources still open. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (active != null) {
            queue.add(active);
            active = null;
        }
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
