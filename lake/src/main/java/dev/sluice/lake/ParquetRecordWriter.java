package dev.sluice.lake;

import java.io.IOException;
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
 * One Parquet object being written to S3 from Avro records of a single schema, by the sink and by
 * compaction alike. The object becomes visible, whole, at {@link #commit()}; {@link #abort()} leaves
 * nothing behind. Columns are dictionary-encoded except the {@linkplain KafkaColumns#NEAR_UNIQUE
 * near-unique Kafka columns}. Not thread-safe.
 */
public final class ParquetRecordWriter {

    private final String key;
    private final Schema schema;
    private final StreamingMultipartOutputFile file;
    private final ParquetWriter<GenericRecord> writer;
    private long records;
    private boolean finished;
    /** {@link #hasReached}: the record count at which to ask for the size again, and the last answer. */
    private long nextSizeCheck;
    private long checkedRecords;
    private long checkedSize;

    private ParquetRecordWriter(String key, Schema schema, StreamingMultipartOutputFile file,
                                ParquetWriter<GenericRecord> writer) {
        this.key = key;
        this.schema = schema;
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens a writer for the object {@code key}. Nothing is sent to S3 until a part fills up or the
     * writer commits.
     */
    public static ParquetRecordWriter open(S3Client s3, ParquetFileSettings settings, String key, Schema schema)
            throws IOException {
        StreamingMultipartOutputFile file = new StreamingMultipartOutputFile(s3, settings.bucket(), key,
                settings.partSize());
        // The standard three-level list layout is what every other engine writes and reads; the
        // parquet-avro default (two-level) cannot hold null elements. Parquet's own configuration, as
        // the lake's readers use: nothing here needs a Hadoop one.
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
        for (String column : KafkaColumns.NEAR_UNIQUE) {
            if (schema.getField(column) != null) {
                builder.withDictionaryEncoding(column, false);
            }
        }
        return new ParquetRecordWriter(key, schema, file, builder.build());
    }

    /** Appends one record, which must conform to {@link #schema()}. */
    public void write(GenericRecord record) throws IOException {
        writer.write(record);
        records++;
    }

    /** The object key. */
    public String key() {
        return key;
    }

    /** The Avro schema of every record in the file. */
    public Schema schema() {
        return schema;
    }

    /** Records written so far. */
    public long records() {
        return records;
    }

    /**
     * Whether the file would have {@code bytes} bytes if closed now (written row groups plus the buffered one, the
     * latter counted before compression). Parquet computes the size by walking every column's
     * buffers, which for narrow rows costs as much as writing one, so it is only asked when the file could have got
     * there: after each answer, the writer skips half the records the remaining space holds at the faster of the
     * average and the latest growth per record (buffered rows grow uncompressed, faster than the average).
     */
    public boolean hasReached(long bytes) {
        if (records < nextSizeCheck) {
            return false;
        }
        long size = writer.getDataSize();
        if (size >= bytes) {
            return true;
        }
        long average = size / Math.max(1, records);
        long latest = records > checkedRecords ? (size - checkedSize) / (records - checkedRecords) : 0;
        long perRecord = Math.max(average, latest);
        checkedRecords = records;
        checkedSize = size;
        nextSizeCheck = records + (perRecord <= 0 ? 1 : Math.max(1, (bytes - size) / perRecord / 2));
        return false;
    }

    /** Multipart parts already sent to S3. */
    public int uploadedParts() {
        S3MultipartOutputStream stream = file.stream();
        return stream == null ? 0 : stream.uploadedParts();
    }

    /** Writes the footer and completes the upload; the object is visible when this returns. */
    public void commit() throws IOException {
        if (finished) {
            throw new IllegalStateException(key + " is already finished");
        }
        finished = true;
        writer.close();
    }

    /** Discards the object and releases the writer's buffers. */
    public void abort() {
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
            // The stream was aborted first, so closing only frees compressors and buffers; nothing is written.
        }
    }
}
