package dev.sluice.lake.compaction;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.InputFile;

/** The rows of one Parquet file, read as a given schema; the file is only located when the source opens. */
final class ParquetRowSource implements RowSource {

    /** Locates the file when the merge reaches it. */
    @FunctionalInterface
    interface Opener {
        InputFile open() throws IOException;
    }

    private final Opener file;
    private final Schema readSchema;
    private final MergeKey firstKey;
    private final String name;
    private ParquetReader<GenericRecord> reader;

    ParquetRowSource(String name, Opener file, Schema readSchema, MergeKey firstKey) {
        this.name = name;
        this.file = file;
        this.readSchema = readSchema;
        this.firstKey = firstKey;
    }

    @Override
    public MergeKey firstKey() {
        return firstKey;
    }

    @Override
    public void open() throws IOException {
        reader = ParquetFiles.reader(file.open(), readSchema);
    }

    @Override
    public GenericRecord next() throws IOException {
        return reader.read();
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
