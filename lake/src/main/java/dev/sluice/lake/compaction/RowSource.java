package dev.sluice.lake.compaction;

import java.io.Closeable;
import java.io.IOException;
import org.apache.avro.generic.GenericRecord;

/** The rows of one input, in Kafka order, opened only when the merge reaches them. */
interface RowSource extends Closeable {

    /** Where the source starts in Kafka order; known without opening it. */
    MergeKey firstKey();

    /** Prepares reading. */
    void open() throws IOException;

    /** The next row, or null at the end. */
    GenericRecord next() throws IOException;
}
