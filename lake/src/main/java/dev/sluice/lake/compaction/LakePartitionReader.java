package dev.sluice.lake.compaction;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Tells readers which files of a partition to read. The rule: the files the manifest lists, plus every file in the
 * directory named as the sink names them that the manifest has not consumed; nothing else (in particular no
 * compacted file the manifest does not list). Without a manifest that is simply every sink file.
 *
 * <p>The directory is listed <em>before</em> the manifest is read. Compaction deletes a consumed file only after
 * the commit that consumed it, so a listing taken before reading manifest generation {@code g} still holds every
 * sink file {@code g} has not consumed, and whatever commit happens between the two steps, the result is exactly
 * the state of the manifest read: never old and new files together, never neither.
 */
public final class LakePartitionReader {

    private final S3Client s3;
    private final String bucket;
    private final ManifestStore manifests;

    public LakePartitionReader(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        this.manifests = new ManifestStore(s3, bucket);
    }

    /** The published files of {@code partition}. */
    public PublishedState published(LakePartition partition) {
        return inspect(partition).published();
    }

    /** Lists the directory, then reads the manifest. */
    PartitionDirectory inspect(LakePartition partition) {
        String directory = partition.directory();
        Map<String, PartitionDirectory.ObjectInfo> objects = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory).delimiter("/"))
                .contents()) {
            String name = object.key().substring(directory.length());
            objects.put(name, new PartitionDirectory.ObjectInfo(name, object.size(), object.lastModified()));
        }
        return new PartitionDirectory(partition, objects, manifests.read(partition));
    }
}
