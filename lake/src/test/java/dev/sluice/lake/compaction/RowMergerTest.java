package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.KafkaColumns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RowMergerTest {

    private static final Schema WITH_KAFKA = SchemaBuilder.record("R").fields().requiredString("v")
            .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET).endRecord();
    private static final Schema WITHOUT_KAFKA = SchemaBuilder.record("R").fields().requiredString("v").endRecord();

    /** An in-memory source that counts how many sources are open at once. */
    private static final class ListSource implements RowSource {
        private final MergeKey first;
        private final List<GenericRecord> rows;
        private final AtomicInteger open;
        private final AtomicInteger maxOpen;
        private Iterator<GenericRecord> iterator;
        boolean closed;

        ListSource(MergeKey first, List<GenericRecord> rows, AtomicInteger open, AtomicInteger maxOpen) {
            this.first = first;
            this.rows = rows;
            this.open = open;
            this.maxOpen = maxOpen;
        }

        @Override
        public MergeKey firstKey() {
            return first;
        }

        @Override
        public void open() {
            iterator = rows.iterator();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        @Override
        public GenericRecord next() {
            return iterator.hasNext() ? iterator.next() : null;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
        }
    }

    private static GenericRecord row(int partition, long offset) {
        GenericRecord row = new GenericData.Record(WITH_KAFKA);
        row.put("v", partition + "/" + offset);
        row.put(KafkaColumns.PARTITION, partition);
        row.put(KafkaColumns.OFFSET, offset);
        return row;
    }

    private static List<GenericRecord> rows(int partition, long from, long to) {
        List<GenericRecord> rows = new ArrayList<>();
        for (long o = from; o < to; o++) {
            rows.add(row(partition, o));
        }
        return rows;
    }

    private static List<String> drain(RowMerger merger) throws IOException {
        List<String> out = new ArrayList<>();
        for (GenericRecord row = merger.next(); row != null; row = merger.next()) {
            out.add(row.get("v").toString());
        }
        return out;
    }

    @Test
    void mergesByPartitionThenOffsetAndInterleavesOverlappingFiles() throws IOException {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        // A compacted file holding partition 0's head and partition 1, and a late file of partition 0 in between.
        List<GenericRecord> compacted = new ArrayList<>(rows(0, 0, 3));
        compacted.addAll(rows(1, 0, 2));
        List<ListSource> sources = List.of(
                new ListSource(new MergeKey(0, 0), compacted, open, maxOpen),
                new ListSource(new MergeKey(0, 10), rows(0, 10, 12), open, maxOpen));

        try (RowMerger merger = new RowMerger(sources)) {
            assertEquals(List.of("0/0", "0/1", "0/2", "0/10", "0/11", "1/0", "1/1"), drain(merger));
        }
        assertEquals(0, open.get(), "every source was closed");
    }

    @Test
    void opensDisjointSourcesOneAtATime() throws IOException {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        List<ListSource> sources = new ArrayList<>();
        for (int p = 2; p >= 0; p--) {
            for (int f = 4; f >= 0; f--) {
                sources.add(new ListSource(new MergeKey(p, f * 10L), rows(p, f * 10L, f * 10L + 10), open, maxOpen));
            }
        }
        try (RowMerger merger = new RowMerger(sources)) {
            List<String> out = drain(merger);
            assertEquals(150, out.size());
            assertEquals("0/0", out.get(0));
            assertEquals("2/49", out.get(149));
            assertEquals(2, merger.lastKey().partition());
        }
        assertEquals(1, maxOpen.get(), "files that do not overlap are read one after the other");
    }

    @Test
    void rowsWithoutKafkaColumnsKeepTheirFileTogetherInFileOrder() throws IOException {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        List<ListSource> sources = new ArrayList<>();
        for (int f : new int[] {2, 0, 1}) {
            List<GenericRecord> rows = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                GenericRecord row = new GenericData.Record(WITHOUT_KAFKA);
                row.put("v", f + "." + i);
                rows.add(row);
            }
            sources.add(new ListSource(new MergeKey(0, f * 100L), rows, open, maxOpen));
        }
        try (RowMerger merger = new RowMerger(sources)) {
            assertEquals(List.of("0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "2.0", "2.1", "2.2"), drain(merger));
        }
    }

    @Test
    void closeReleasesSourcesStillOpen() throws IOException {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        ListSource source = new ListSource(new MergeKey(0, 0), rows(0, 0, 5), open, maxOpen);
        RowMerger merger = new RowMerger(List.of(source));
        merger.next();
        assertEquals(1, open.get());
        merger.close();
        assertTrue(source.closed);
        assertEquals(0, open.get());
    }
}
