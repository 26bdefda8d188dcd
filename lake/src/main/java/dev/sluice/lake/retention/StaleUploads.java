package dev.sluice.lake.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Incomplete multipart uploads of the lake's bucket. The parts of an upload that is never completed or aborted
 * (a writer killed mid-file) are invisible to listings but stored, and billed, until aborted.
 */
final class StaleUploads {

    private final S3Client s3;
    private final String bucket;

    StaleUploads(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The uploads of the bucket initiated at or before {@code initiatedBy}. */
    List<StaleUpload> initiatedBy(Instant initiatedBy) {
        List<StaleUpload> stale = new ArrayList<>();
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()) {
            if (upload.initiated() != null && !upload.initiated().isAfter(initiatedBy)) {
                stale.add(new StaleUpload(upload.key(), upload.uploadId(), upload.initiated()));
            }
        }
        return stale;
    }

    /** Aborts an upload; one that is gone already (completed or aborted meanwhile) counts as done. */
    void abort(StaleUpload upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        } catch (NoSuchUploadException e) {
            // Finished by its writer or aborted by another janitor between the listing and now.
        }
    }
}
