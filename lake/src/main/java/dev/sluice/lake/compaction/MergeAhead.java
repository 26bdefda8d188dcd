package dev.sluice.lake.compaction;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericRecord;

/**
 * Runs a {@link RowMerger} on a thread of its own and hands its rows over in small batches, so that reading and
 * decoding the inputs overlaps with encoding the output. At most {@value #QUEUED_BATCHES} batches of
 * {@value #BATCH_ROWS} rows wait at a time.
 */
final class MergeAhead implements Closeable {

    static final int BATCH_ROWS = 1024;
    static final int QUEUED_BATCHES = 4;

    /**
     * A merged row.
     *
     * @param record the row
     * @param key    its Kafka position
     * @param source the index of its source
     */
    record Row(GenericRecord record, MergeKey key, int source) {
    }

    /** Marks the end of the rows; compared by identity. */
    private static final List<Row> END = Collections.unmodifiableList(new ArrayList<>());

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Future<?> producer;
    private Iterator<Row> batch = Collections.emptyIterator();
    private boolean done;

    MergeAhead(RowMerger merger, ExecutorService pool) {
        this.producer = pool.submit(() -> produce(merger));
    }

    private void produce(RowMerger merger) {
        Object last;
        try (merger) {
            List<Row> rows = new ArrayList<>(BATCH_ROWS);
            for (GenericRecord row = merger.next(); row != null; row = merger.next()) {
                rows.add(new Row(row, merger.lastKey(), merger.lastSource()));
                if (rows.size() == BATCH_ROWS) {
                    queue.put(rows);
                    rows = new ArrayList<>(BATCH_ROWS);
                }
            }
            if (!rows.isEmpty()) {
                queue.put(rows);
            }
            last = END;
        } catch (InterruptedException e) {
            // The consumer closed early: nobody waits for more rows.
            Thread.currentThread().interrupt();
            return;
        } catch (Throwable e) {
            last = e;
        }
        try {
            queue.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next row, or null after the last. */
    Row next() throws IOException {
        while (!batch.hasNext()) {
            if (done) {
                return null;
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for merged rows", e);
            }
            if (next instanceof Throwable failure) {
                done = true;
                if (failure instanceof Error error) {
                    throw error;
                }
                if (failure instanceof RuntimeException runtime) {
                    throw new IllegalStateException(runtime.getMessage(), runtime);
                }
                throw new IOException(failure.getMessage(), failure);
            }
            @SuppressWarnings("unchecked")
            List<Row> rows = (List<Row>) next;
            if (rows == END) {
                done = true;
                return null;
            }
            batch = rows.iterator();
        }
        return batch.next();
    }

    /** Stops the merge if it is still going; it closes its sources itself. */
    @Override
    public void close() {
        producer.cancel(true);
        queue.clear();
    }
}
