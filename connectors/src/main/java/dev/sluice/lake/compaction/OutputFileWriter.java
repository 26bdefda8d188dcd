package dev.sluice.lake.compaction;

import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.S3MultipartOutputStream;
import dev.sluice.lake.StreamingMultipartOutputFile;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One compacted file being written to S3 with parquet-avro, streaming as a multipart upload; it appears whole at
 * {@link #commit()}, or never. Written like the sink's files (three-level lists, the same codecs), except that the
 * sink's Kafka offset and timestamp columns are not dictionary-encoded: their values are all distinct, so the
 * writer would build a dictionary for every row group only to throw it away. Not thread-safe.
 */
final class OutputFileWriter {

    /** Columns of the sink whose values never repeat within a file. */
    private static final List<String> DISTINCT_COLUMNS = List.of(RowMerger.OFFSET_COLUMN, "__kafka_timestamp");

    private final String key;
    private final StreamingMultipartOutputFile file;
    private final ParquetWriter<GenericRecord> writer;
    private long records;
    private boolean finished;

    private OutputFileWriter(String key, StreamingMultipartOutputFile file, ParquetWriter<GenericRecord> writer) {
        this.key = key;
        this.file = file;
        this.writer = writer;
    }

    static OutputFileWriter open(S3Client s3, ParquetFileSettings settings, String key, Schema schema)
            throws IOException {
        StreamingMultipartOutputFile file = new StreamingMultipartOutputFile(s3, settings.bucket(), key,
                settings.partSize());
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(file)
                .withSchema(schema)
                .withDataModel(GenericData.get())
                .withConf(conf)
                .withCompressionCodec(settings.codec().parquetName())
                .withRowGroupSize(settings.rowGroupBytes())
                .withPageSize(settings.pageBytes())
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
        for (String column : DISTINCT_COLUMNS) {
            if (schema.getField(column) != null) {
                builder.withDictionaryEncoding(column, false);
            }
        }
        return new OutputFileWriter(key, file, builder.build());
    }

    void write(GenericRecord record) throws IOException {
        writer.write(record);
        records++;
    }

    String key() {
        return key;
    }

    long records() {
        return records;
    }

    /** Bytes the file would have if closed now: written row groups plus the buffered one. */
    long dataSize() {
        return writer.getDataSize();
    }

    /** Writes the footer and completes the upload; the object is visible when this returns. */
    void commit() throws IOException {
        if (finished) {
            throw new IllegalStateException(key + " is already finished");
        }
        finished = true;
        writer.close();
    }

    /** Discards the object: aborts the upload first, so closing the writer only frees its buffers. */
    void abort() {
        if (finished) {
            return;
        }
        finished = true;
        S3MultipartOutputStream stream = file.stream();
        if (stream != null) {
            stream.abort();
        }
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            // Nothing is written after the abort; the close only releases compressors and buffers.
        }
    }
}
