package dev.sluice.lake;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Parquet {@link OutputFile} that streams into one S3 object through an
 * {@link S3MultipartOutputStream}: memory stays bounded by one part, and the object appears only
 * when the Parquet writer closes. Each instance can be created once.
 */
public final class StreamingMultipartOutputFile implements OutputFile {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int partSize;
    private S3MultipartOutputStream stream;

    public StreamingMultipartOutputFile(S3Client s3, String bucket, String key, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return createOrOverwrite(blockSizeHint);
    }

    /** S3 PUTs replace whole objects, so creating and overwriting are the same. */
    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        if (stream != null) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " was already created");
        }
        stream = new S3MultipartOutputStream(s3, bucket, key, partSize);
        return stream;
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return "s3://" + bucket + "/" + key;
    }

    /** The stream, once created; null before. */
    public S3MultipartOutputStream stream() {
        return stream;
    }
}
