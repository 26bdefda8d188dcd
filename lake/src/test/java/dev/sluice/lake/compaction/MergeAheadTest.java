package dev.sluice.lake.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.lake.KafkaColumns;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MergeAheadTest {

    private static final Schema ROW = SchemaBuilder.record("R").fields()
            .requiredInt(KafkaColumns.PARTITION).requiredLong(KafkaColumns.OFFSET).endRecord();

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the merge thread ended");
    }

    /** Rows of one Kafka partition at offsets [from, to); throws at {@code failAt} if that is in range. */
    private static RowSource source(int partition, long from, long to, long failAt, AtomicBoolean closed) {
        return new RowSource() {
            private long next = from;

            @Override
            public MergeKey firstKey() {
                return new MergeKey(partition, from);
            }

            @Override
            public void open() {
            }

            @Override
            public GenericRecord next() throws IOException {
                if (next == failAt) {
                    throw new IOException("broken at " + failAt);
                }
                if (next >= to) {
                    return null;
                }
                GenericRecord row = new GenericData.Record(ROW);
                row.put(KafkaColumns.PARTITION, partition);
                row.put(KafkaColumns.OFFSET, next++);
                return row;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
    }

    @Test
    void handsOverEveryRowInOrderAcrossBatches() throws IOException {
        long rows = 3L * MergeAhead.BATCH_ROWS * MergeAhead.QUEUED_BATCHES + 7;
        AtomicBoolean closed = new AtomicBoolean();
        try (MergeAhead merged = new MergeAhead(new RowMerger(List.of(source(1, 0, rows, -1, closed),
                source(0, 0, 10, -1, new AtomicBoolean()))), pool)) {
            long count = 0;
            MergeKey previous = null;
            for (MergeAhead.Row row = merged.next(); row != null; row = merged.next()) {
                assertTrue(previous == null || previous.compareTo(row.key()) < 0, row.key() + " after " + previous);
                previous = row.key();
                count++;
            }
            assertEquals(rows + 10, count);
            assertNull(merged.next(), "stays at the end");
        }
        assertTrue(closed.get());
    }

    @Test
    void aFailingSourceFailsTheConsumerInsteadOfHangingIt() {
        try (MergeAhead merged = new MergeAhead(new RowMerger(List.of(source(0, 0, 100_000, 5000,
                new AtomicBoolean()))), pool)) {
            IOException e = assertThrows(IOException.class, () -> {
                while (merged.next() != null) {
                    // drain until the failure arrives
                }
            });
            assertTrue(e.getMessage().contains("broken at 5000"), e.getMessage());
        }
    }

    @Test
    void closingEarlyStopsTheMerge() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        MergeAhead merged = new MergeAhead(new RowMerger(List.of(source(0, 0, Long.MAX_VALUE, -1, closed))), pool);
        assertEquals(0L, merged.next().key().offset());
        merged.close();
        pool.shutdown();
        try {
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the producer stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue(closed.get(), "its sources were closed");
    }
}
