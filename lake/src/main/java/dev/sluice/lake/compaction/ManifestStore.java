package dev.sluice.lake.compaction;

import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads and replaces partition manifests. Every replacement is conditional — {@code If-None-Match: *} for the
 * first, {@code If-Match: <etag read>} afterwards — so of two runs that read the same state only one can commit.
 */
final class ManifestStore {

    private static final int PRECONDITION_FAILED = 412;
    private static final int CONFLICT = 409;

    private final S3Client s3;
    private final String bucket;

    ManifestStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * A manifest and the entity tag it was read with.
     *
     * @param manifest the manifest
     * @param etag     its entity tag, the condition of the next replacement
     */
    record Versioned(PartitionManifest manifest, String etag) {
    }

    static String key(LakePartition partition) {
        return partition.directory() + PartitionManifest.FILE_NAME;
    }

    /** The partition's manifest; empty when it has none (it was never compacted). */
    Optional<Versioned> read(LakePartition partition) {
        String key = key(partition);
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Versioned(PartitionManifest.fromJson(bytes.asByteArray()),
                    bytes.response().eTag()));
        } catch (IllegalArgumentException e) {
            throw new CorruptManifestException("s3://" + bucket + "/" + key + " is not a valid manifest: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Replaces the manifest if it is still the one read ({@code expected}, empty when there was none).
     *
     * @return the entity tag of the new manifest
     * @throws ManifestConflictException when another run replaced it first
     */
    String replace(LakePartition partition, PartitionManifest manifest, Optional<Versioned> expected)
            throws ManifestConflictException {
        String key = key(partition);
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key)
                .contentType("application/json");
        if (expected.isPresent()) {
            request.ifMatch(expected.get().etag());
        } else {
            request.ifNoneMatch("*");
        }
        try {
            return s3.putObject(request.build(), RequestBody.fromBytes(manifest.toJson())).eTag();
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONFLICT) {
                throw new ManifestConflictException("s3://" + bucket + "/" + key + " changed since it was read", e);
            }
            throw e;
        }
    }
}
