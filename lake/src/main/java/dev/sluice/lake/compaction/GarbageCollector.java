package dev.sluice.lake.compaction;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deletes what a partition's manifest no longer publishes: the garbage it lists once the grace has passed, and
 * files the listing holds that nothing publishes any more. Only unpublished files are deleted, so a crash at any
 * point here leaves the published state as it was; the next run deletes what is left.
 */
final class GarbageCollector {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** A failure part-way through, with the number of files deleted before it. */
    static final class PartialCollectionException extends RuntimeException {
        private final int deleted;

        PartialCollectionException(int deleted, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.deleted = deleted;
        }

        int deleted() {
            return deleted;
        }
    }

    private final PartitionObjectDeleter deleter;
    private final CompactionSettings settings;
    private final ManifestStore manifests;
    private final Clock clock;
    private final FaultInjector faults;

    GarbageCollector(S3Client s3, CompactionSettings settings, ManifestStore manifests, Clock clock,
                     FaultInjector faults) {
        this.deleter = new PartitionObjectDeleter(s3, settings.bucket());
        this.settings = settings;
        this.manifests = manifests;
        this.clock = clock;
        this.faults = faults;
    }

    /**
     * Deletes the manifest's garbage whose grace has passed, and files the listing holds that nothing publishes
     * any more: compacted files no manifest lists (outputs of runs that crashed before committing, then re-planned
     * differently) and consumed sink files that reappeared (a sink replay beyond its checkpoint). Those must be
     * older than the orphan grace, which keeps the outputs of a concurrent run that has not committed yet. Then
     * drops the deleted files from the manifest's garbage list.
     *
     * @param directory the partition's listing, taken before {@code current} was read or written
     * @param current   the manifest as this run last read or wrote it; nothing is deleted without one
     * @return the number of files deleted
     * @throws PartialCollectionException if a deletion or the manifest update failed
     */
    int collect(LakePartition partition, PartitionDirectory directory, Optional<ManifestStore.Versioned> current) {
        if (current.isEmpty()) {
            return 0;
        }
        PartitionManifest manifest = current.get().manifest();
        Instant now = clock.instant();
        Set<String> published = manifest.fileNames();
        Set<String> listedAsGarbage = manifest.garbageNames();
        Set<String> expired = manifest.expiredGarbage(settings.gcGrace(), now);
        int deleted = delete(partition, new ArrayList<>(expired), 0);
        Instant orphanCutoff = now.minus(settings.orphanGrace());
        List<String> orphans = new ArrayList<>();
        for (PartitionDirectory.ObjectInfo object : directory.objects().values()) {
            String name = object.name();
            boolean unpublished = CompactedFileNames.isCompacted(name) || manifest.consumed().contains(name);
            if (unpublished && !published.contains(name) && !listedAsGarbage.contains(name)
                    && !object.lastModified().isAfter(orphanCutoff)) {
                orphans.add(name);
            }
        }
        deleted = delete(partition, orphans, deleted);
        if (!expired.isEmpty()) {
            try {
                manifests.replace(partition, manifest.withoutGarbage(expired), current);
                faults.at(CompactionStep.GARBAGE_RECORDED, partition);
            } catch (ManifestConflictException e) {
                // Another run committed meanwhile; its manifest still lists what we deleted, and its next garbage
                // collection deletes it again, which is harmless.
                LOG.debug("garbage list not updated partition={} reason={}", partition, e.getMessage());
            } catch (RuntimeException e) {
                throw new PartialCollectionException(deleted, e);
            }
        }
        return deleted;
    }

    /**
     * Deletes files of the partition, many per request; a key that is gone already counts as deleted.
     *
     * @return {@code deletedBefore} plus the files deleted now
     */
    private int delete(LakePartition partition, List<String> names, int deletedBefore) {
        // An array: the batches are counted in a lambda, and a failure reports what the earlier ones deleted.
        int[] deleted = {deletedBefore};
        try {
            deleter.delete(partition, names, batch -> {
                deleted[0] += batch;
                faults.at(CompactionStep.GARBAGE_DELETED, partition);
            });
        } catch (RuntimeException e) {
            throw new PartialCollectionException(deleted[0], e);
        }
        return deleted[0];
    }
}
