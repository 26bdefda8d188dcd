package dev.sluice.lake;

/**
 * How Parquet objects are written to the lake.
 *
 * @param bucket        the S3 bucket
 * @param codec         the compression codec
 * @param rowGroupBytes target row group size; a row group is buffered in memory before it is written
 * @param pageBytes     target page size
 * @param partSize      bytes per multipart upload part; also the upload buffer per open file
 */
public record ParquetFileSettings(String bucket, ParquetCodec codec, long rowGroupBytes, int pageBytes, int partSize) {

    /** Default page size, as Parquet's own default. */
    public static final int DEFAULT_PAGE_BYTES = 1024 * 1024;
}
