package dev.sluice.lake.compaction;

import java.util.List;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/** Deletes objects of one partition directory, many per request; a key that is gone already counts as deleted. */
final class PartitionObjectDeleter {

    /** The most keys S3 takes in one DeleteObjects request. */
    private static final int BATCH = 1000;

    private final S3Client s3;
    private final String bucket;

    PartitionObjectDeleter(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * Deletes {@code names} below the partition's directory, telling {@code afterBatch} how many keys each request
     * deleted, so that a caller can count them or inject a fault between requests.
     */
    void delete(LakePartition partition, List<String> names, IntConsumer afterBatch) {
        for (int from = 0; from < names.size(); from += BATCH) {
            List<ObjectIdentifier> batch = names.subList(from, Math.min(names.size(), from + BATCH)).stream()
                    .map(name -> ObjectIdentifier.builder().key(partition.directory() + name).build()).toList();
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                    .delete(d -> d.objects(batch).quiet(true)));
            List<S3Error> errors = response.errors().stream().filter(e -> !"NoSuchKey".equals(e.code())).toList();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("deleting " + errors.size() + " of " + batch.size() + " objects of "
                        + partition + " failed, first " + errors.get(0).key() + ": " + errors.get(0).code() + " "
                        + errors.get(0).message());
            }
            afterBatch.accept(batch.size());
        }
    }
}
