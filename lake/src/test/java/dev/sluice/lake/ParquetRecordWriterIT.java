package dev.sluice.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.S3Server;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Objects stream into S3 part by part and appear whole at commit, or never. Against a real S3 server. */
@ExtendWith(EmbeddedPlatformExtension.class)
class ParquetRecordWriterIT {

    private static final Schema SCHEMA = SchemaBuilder.record("Blob").fields()
            .requiredLong("id").requiredString("payload").endRecord();
    private static final int PART = S3MultipartOutputStream.MIN_PART_SIZE;

    @TempDir
    static Path downloads;

    private static S3Client s3;

    @BeforeAll
    static void connect(S3Server server) {
        s3 = server.client();
    }

    private static ParquetFileSettings settings(ParquetCodec codec) {
        return new ParquetFileSettings(S3Server.LAKE_BUCKET, codec, 1024 * 1024, ParquetFileSettings.DEFAULT_PAGE_BYTES,
                PART);
    }

    private static String key() {
        return "it/writer-" + UUID.randomUUID() + "/t+0+00000000000000000000.none.parquet";
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static long countUploads(String key) {
        return s3.listMultipartUploads(b -> b.bucket(S3Server.LAKE_BUCKET).prefix(key)).uploads().size();
    }

    /** Incompressible rows: 4 KiB of random letters each. */
    private static GenericRecord row(long id, Random random) {
        StringBuilder payload = new StringBuilder(4096);
        for (int i = 0; i < 4096; i++) {
            payload.append((char) ('a' + random.nextInt(26)));
        }
        return new GenericData.Record(SCHEMA) {
            {
                put("id", id);
                put("payload", payload.toString());
            }
        };
    }

    @Test
    void largeFilesStreamInPartsAndAppearOnlyAtCommit() throws IOException {
        String key = key();
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, settings(ParquetCodec.NONE), key, SCHEMA);
        Random random = new Random(7);
        int rows = 4_000;
        for (int i = 0; i < rows; i++) {
            writer.write(row(i, random));
        }

        assertTrue(writer.uploadedParts() >= 2, "parts left memory while writing: " + writer.uploadedParts());
        assertFalse(exists(key), "nothing visible before commit");
        assertEquals(1, countUploads(key), "one multipart upload in progress");

        writer.commit();

        assertTrue(exists(key));
        assertEquals(0, countUploads(key));
        long size = s3.headObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key)).contentLength();
        assertTrue(size > 2L * PART, "size " + size);
        Path local = downloads.resolve(UUID.randomUUID() + ".parquet");
        s3.getObject(b -> b.bucket(S3Server.LAKE_BUCKET).key(key), local);
        Random expected = new Random(7);
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local))
                .withConf(new Configuration(false)).build()) {
            for (int i = 0; i < rows; i++) {
                GenericRecord actual = reader.read();
                GenericRecord want = row(i, expected);
                assertEquals(want.get("id"), actual.get("id"));
                assertEquals(want.get("payload"), actual.get("payload").toString());
            }
            assertEquals(null, reader.read());
        }
    }

    @Test
    void smallFilesAreOneSinglePut() throws IOException {
        String key = key();
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, settings(ParquetCodec.ZSTD), key, SCHEMA);
        writer.write(row(1, new Random(1)));

        writer.commit();

        assertEquals(0, writer.uploadedParts());
        assertTrue(exists(key));
        assertThrows(IllegalStateException.class, writer::commit);
    }

    @Test
    void abortLeavesNothingBehind() throws IOException {
        String key = key();
        ParquetRecordWriter writer = ParquetRecordWriter.open(s3, settings(ParquetCodec.NONE), key, SCHEMA);
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            writer.write(row(i, random));
        }
        assertTrue(writer.uploadedParts() >= 1);

        writer.abort();

        assertFalse(exists(key));
        assertEquals(0, countUploads(key), "the multipart upload was aborted");
    }
}
