package dev.sluice.lake.compaction;

import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.ParquetRecordWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes the rows of a compaction into numbered files of about the target size, one schema per file. Each file is
 * a streaming multipart upload that appears whole when it is complete; nothing here publishes it.
 */
final class RollingOutput {

    private final S3Client s3;
    private final ParquetFileSettings fileSettings;
    private final LakePartition partition;
    private final String hash;
    private final long targetBytes;
    private final FaultInjector faults;
    private final List<CompactedFile> outputs = new ArrayList<>();
    private Schema schema;
    private ParquetRecordWriter writer;
    private MergeKey firstKey;

    RollingOutput(S3Client s3, ParquetFileSettings fileSettings, LakePartition partition, String hash,
                  long targetBytes, FaultInjector faults) {
        this.s3 = s3;
        this.fileSettings = fileSettings;
        this.partition = partition;
        this.hash = hash;
        this.targetBytes = targetBytes;
        this.faults = faults;
    }

    /** Rows from now on have {@code groupSchema}; the file being written, if any, is finished. */
    void startGroup(Schema groupSchema) throws IOException {
        finishFile();
        schema = groupSchema;
    }

    /** Appends a row of the current group's schema, at Kafka position {@code key}. */
    void write(GenericRecord row, MergeKey key) throws IOException {
        if (writer == null) {
            String name = CompactedFileNames.name(partition.topicSegment(), hash, outputs.size(), fileSettings.codec());
            writer = ParquetRecordWriter.open(s3, fileSettings, partition.directory() + name, schema);
            firstKey = key;
        }
        writer.write(row);
        if (writer.records() == 1) {
            faults.at(CompactionStep.OUTPUT_OPEN, partition);
        }
        if (writer.hasReached(targetBytes)) {
            finishFile();
        }
    }

    /** Completes the file being written, if any. */
    void finishFile() throws IOException {
        if (writer == null) {
            return;
        }
        ParquetRecordWriter done = writer;
        writer = null;
        done.commit();
        String name = done.key().substring(partition.directory().length());
        long bytes = s3.headObject(b -> b.bucket(fileSettings.bucket()).key(done.key())).contentLength();
        outputs.add(new CompactedFile(name, bytes, done.records(), firstKey.partition(), firstKey.offset()));
        faults.at(CompactionStep.OUTPUT_WRITTEN, partition);
    }

    /** Discards the file being written; completed files stay, unpublished, for garbage collection or a re-run. */
    void abort() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
    }

    /** The completed files, in order. */
    List<CompactedFile> outputs() {
        return List.copyOf(outputs);
    }
}
