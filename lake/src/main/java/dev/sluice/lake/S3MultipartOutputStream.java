package dev.sluice.lake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.PositionOutputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An output stream that becomes one S3 object, atomically: the object appears whole when
 * {@link #close()} returns, or not at all.
 *
 * <p>Bytes are buffered up to one part; a full part is uploaded at once as part of a multipart
 * upload, so memory stays at one part whatever the object size. An object that never fills a part
 * is sent with a single PUT at close. {@link #abort()} discards everything, including parts already
 * uploaded. Not thread-safe.
 */
public final class S3MultipartOutputStream extends PositionOutputStream {

    /** The smallest part S3 accepts for every part but the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final String CONTENT_TYPE = "application/vnd.apache.parquet";

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer;
    private int count;
    private long position;
    private String uploadId;
    private boolean closed;
    private boolean aborted;

    /**
     * @param partSize bytes per uploaded part; at least {@link #MIN_PART_SIZE} for real S3
     */
    public S3MultipartOutputStream(S3Client s3, String bucket, String key, int partSize) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("partSize must be positive");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.buffer = new byte[Math.min(INITIAL_BUFFER, partSize)];
    }

    @Override
    public long getPos() {
        return position;
    }

    /** Parts uploaded so far; the last part is only sent at close. */
    public int uploadedParts() {
        return parts.size();
    }

    @Override
    public void write(int b) throws IOException {
        if (aborted) {
            return;
        }
        ensureOpen();
        if (count == buffer.length) {
            makeRoom();
        }
        buffer[count++] = (byte) b;
        position++;
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        if (aborted) {
            return;
        }
        ensureOpen();
        while (len > 0) {
            if (count == buffer.length) {
                makeRoom();
            }
            int chunk = Math.min(len, buffer.length - count);
            System.arraycopy(bytes, off, buffer, count, chunk);
            count += chunk;
            position += chunk;
            off += chunk;
            len -= chunk;
        }
    }

    private void makeRoom() throws IOException {
        if (buffer.length < partSize) {
            byte[] grown = new byte[(int) Math.min(partSize, 2L * buffer.length)];
            System.arraycopy(buffer, 0, grown, 0, count);
            buffer = grown;
        } else {
            uploadPart();
        }
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE)).uploadId();
            }
            int partNumber = parts.size() + 1;
            byte[] bytes = buffer;
            int length = count;
            UploadPartResponse response = s3.uploadPart(
                    b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, CONTENT_TYPE));
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
            count = 0;
        } catch (SdkException e) {
            abort();
            throw new IOException("Uploading part " + (parts.size() + 1) + " of s3://" + bucket + "/" + key + " failed", e);
        }
    }

    /** Completes the object: one PUT if no part was uploaded, else the last part and the completion. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (uploadId == null) {
                byte[] bytes = buffer;
                int length = count;
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                                CONTENT_TYPE));
            } else {
                if (count > 0) {
                    uploadPart();
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            }
            closed = true;
            buffer = null;
        } catch (SdkException e) {
            abort();
            throw new IOException("Completing s3://" + bucket + "/" + key + " failed", e);
        }
    }

    /**
     * Discards the object: aborts the multipart upload if one was started (best effort; a bucket
     * lifecycle rule for incomplete uploads covers a failure here). Later writes and {@link #close()}
     * are ignored, so a writer on top can still be closed to release its own resources.
     */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        aborted = true;
        buffer = null;
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                // Nothing became visible; the incomplete upload only costs storage until a lifecycle rule expires it.
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream for s3://" + bucket + "/" + key + " is closed");
        }
    }
}
