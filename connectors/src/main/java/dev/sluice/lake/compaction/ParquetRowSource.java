package dev.sluice.lake.compaction;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.InputFile;

/** The rows of one Parquet file, read as a given schema. */
final class ParquetRowSource implements RowSource {

    private final InputFile file;
    private final Schema readSchema;
    private final MergeKey firstKey;
    private ParquetReader<GenericRecord> reader;

    ParquetRowSource(InputFile file, Schema readSchema, MergeKey firstKey) {
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
        reader = ParquetFiles.reader(file, readSchema);
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
        return file.toString();
    }
}
