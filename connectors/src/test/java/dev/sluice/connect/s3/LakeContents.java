package dev.sluice.connect.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what the sink wrote: lists objects and reads Parquet from local copies (as DuckDB would have to). */
final class LakeContents {

    private final S3Client s3;
    private final String bucket;
    private final Path downloads;

    LakeContents(S3Client s3, String bucket, Path downloads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.downloads = downloads;
    }

    /** Keys under {@code prefix} that end in .parquet, sorted. */
    List<String> parquetKeys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(k -> k.endsWith(".parquet")).sorted().toList();
    }

    /** Every key under {@code prefix}, sorted. */
    List<String> allKeys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** Downloads an object to the same relative path under the download directory. */
    Path download(String key) {
        Path target = downloads.resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.getObject(b -> b.bucket(bucket).key(key), target);
        return target;
    }

    /** Downloads every Parquet object under {@code prefix}; returns the local directory of the prefix. */
    Path downloadAll(String prefix) {
        parquetKeys(prefix).forEach(this::download);
        return downloads.resolve(prefix);
    }

    /** The rows of one object. */
    List<GenericRecord> rows(String key) {
        Configuration conf = new Configuration(false);
        conf.setBoolean(AvroReadSupport.READ_INT96_AS_FIXED, true);
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                new LocalInputFile(download(key))).withDataModel(GenericData.get()).withConf(conf).build()) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
        return rows;
    }

    /** The rows of every object under {@code prefix}. */
    List<GenericRecord> allRows(String prefix) {
        List<GenericRecord> rows = new ArrayList<>();
        for (String key : parquetKeys(prefix)) {
            rows.addAll(rows(key));
        }
        return rows;
    }

    /** The Avro schema stored in an object's footer. */
    Schema schema(String key) {
        List<GenericRecord> rows = rows(key);
        return rows.isEmpty() ? null : rows.get(0).getSchema();
    }
}
