package dev.sluice.lake;

import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks once that the S3 server honours conditional writes ({@code If-None-Match: *}): the sink's fencing and
 * compaction's manifests depend on them, and a server that ignores the header (older MinIO, Ceph, some gateways)
 * would let two writers overwrite each other without anyone noticing. The probe creates a scratch object
 * conditionally twice — the second write must be refused with 412 — and deletes it.
 */
public final class ConditionalWriteProbe {

    private static final int PRECONDITION_FAILED = 412;

    private ConditionalWriteProbe() {
    }

    /**
     * @throws UnsupportedOperationException naming the bucket if the server accepted the second write or rejected
     *                                       the header itself
     */
    public static void verify(S3Client s3, String bucket, ObjectKeyNamer namer) {
        String key = namer.probeKey("conditional-write-" + UUID.randomUUID());
        try {
            create(s3, bucket, key);
            try {
                create(s3, bucket, key);
            } catch (S3Exception e) {
                if (e.statusCode() == PRECONDITION_FAILED) {
                    return;
                }
                throw unsupported(bucket, "answered " + e.statusCode() + " " + e.awsErrorDetails().errorCode()
                        + " instead of 412", e);
            }
            throw unsupported(bucket, "overwrote an object despite If-None-Match: *", null);
        } catch (S3Exception e) {
            if (e.statusCode() == 501 || e.statusCode() == 400) {
                throw unsupported(bucket, "rejected If-None-Match (" + e.statusCode() + ")", e);
            }
            throw e;
        } finally {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    private static void create(S3Client s3, String bucket, String key) {
        s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("probe"));
    }

    private static UnsupportedOperationException unsupported(String bucket, String what, Throwable cause) {
        return new UnsupportedOperationException("The S3 server of bucket " + bucket + " " + what + ": it does not "
                + "support conditional writes, which fencing and exactly-once need (AWS S3 and recent MinIO and "
                + "s3proxy do)", cause);
    }
}
