package dev.sluice.lake.compaction;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Parquet {@link InputFile} read from S3 with ranged GETs. Reads are served from one window of at least
 * {@code minFetch} bytes: a small file is fetched whole by the first read (Parquet starts at the footer, and the
 * window is aligned to end at the end of the file), a large one a row group at a time. Memory per open stream is
 * one window. A file whose bytes were already downloaded ({@link #of(String, byte[])}) is read from them.
 */
final class S3InputFile implements InputFile {

    /** Enough for the footer of the files compaction reads; a larger footer costs one more GET. */
    static final int FOOTER_FETCH = 64 * 1024;
    /** Files up to this size are fetched with one GET when their rows are read. */
    static final int DATA_FETCH = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final long length;
    private final int minFetch;
    private final byte[] content;

    S3InputFile(S3Client s3, String bucket, String key, long length, int minFetch) {
        this(s3, bucket, key, length, minFetch, null);
    }

    private S3InputFile(S3Client s3, String bucket, String key, long length, int minFetch, byte[] content) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.length = length;
        this.minFetch = minFetch;
        this.content = content;
    }

    /** A file whose whole content is at hand. */
    static S3InputFile of(String description, byte[] content) {
        return new S3InputFile(null, "", description, content.length, content.length, content);
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new WindowStream();
    }

    @Override
    public String toString() {
        return content != null ? key : "s3://" + bucket + "/" + key;
    }

    private final class WindowStream extends SeekableInputStream {
        private long position;
        private long windowStart;
        private byte[] window = content != null ? content : new byte[0];

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > length) {
                throw new EOFException("seek to " + newPos + " outside " + S3InputFile.this + " (" + length + " bytes)");
            }
            position = newPos;
        }

        @Override
        public int read() throws IOException {
            if (position >= length) {
                return -1;
            }
            ensure(1);
            return window[(int) (position++ - windowStart)] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            readFully(bytes, off, n);
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            if (position + len > length) {
                throw new EOFException("reading " + len + " bytes at " + position + " past the end of "
                        + S3InputFile.this);
            }
            ensure(len);
            System.arraycopy(window, (int) (position - windowStart), bytes, start, len);
            position += len;
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            if (!buf.hasRemaining()) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(buf.remaining(), length - position);
            ByteBuffer slice = buf.slice();
            slice.limit(n);
            readFully(slice);
            buf.position(buf.position() + n);
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            int len = buf.remaining();
            if (position + len > length) {
                throw new EOFException("reading " + len + " bytes at " + position + " past the end of "
                        + S3InputFile.this);
            }
            ensure(len);
            buf.put(window, (int) (position - windowStart), len);
            position += len;
        }

        /** Makes the window hold {@code [position, position + len)}. */
        private void ensure(int len) throws IOException {
            if (position >= windowStart && position + len <= windowStart + window.length) {
                return;
            }
            long size = Math.min(length, Math.max(len, minFetch));
            long start = Math.max(0, Math.min(position, length - size));
            window = fetch(start, (int) size);
            windowStart = start;
        }

        private byte[] fetch(long start, int size) throws IOException {
            String range = "bytes=" + start + "-" + (start + size - 1);
            byte[] bytes;
            try {
                bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range(range)).asByteArray();
            } catch (SdkException e) {
                throw new IOException("Reading " + range + " of " + S3InputFile.this + " failed", e);
            }
            if (bytes.length != size) {
                throw new IOException("Reading " + range + " of " + S3InputFile.this + " returned " + bytes.length
                        + " bytes; the object changed or is shorter than listed");
            }
            return bytes;
        }

        @Override
        public void close() {
            window = new byte[0];
        }
    }
}
