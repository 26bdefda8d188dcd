package dev.sluice.lake.compaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files of current-state snapshot directories: the manifest that publishes a new or rebuilt snapshot, the
 * deletion of files a rebuild replaced or a crashed run left, and the deletion of expired snapshots. A snapshot
 * directory holds only compacted files, its manifest and its delete rows, never sink files, so nothing here
 * touches changelog data.
 */
final class CurrentStateFiles {

    private final S3Client s3;
    private final String bucket;
    private final PartitionObjectDeleter deleter;
    private final FaultInjector faults;

    CurrentStateFiles(S3Client s3, String bucket, FaultInjector faults) {
        this.s3 = s3;
        this.bucket = bucket;
        this.deleter = new PartitionObjectDeleter(s3, bucket);
        this.faults = faults;
    }

    /** The manifest publishing {@code outputs}, the files of the snapshot it replaces (if any) becoming garbage. */
    static PartitionManifest nextManifest(Optional<ManifestStore.Versioned> current, List<CompactedFile> outputs,
                                          Instant now) {
        List<PartitionManifest.GarbageEntry> garbage = new ArrayList<>();
        long generation = 1;
        if (current.isPresent()) {
            PartitionManifest previous = current.get().manifest();
            Set<String> kept = new HashSet<>();
            outputs.forEach(file -> kept.add(file.name()));
            garbage.addAll(previous.garbage());
            previous.files().stream().filter(file -> !kept.contains(file.name()))
                    .forEach(file -> garbage.add(new PartitionManifest.GarbageEntry(file.name(), now)));
            generation = previous.generation() + 1;
        }
        return new PartitionManifest(generation, now, outputs, new TreeSet<>(), garbage);
    }

    /**
     * Deletes replaced files whose {@code gc-grace} has passed and files no manifest publishes that are older than
     * {@code orphan-grace} (outputs of a run that crashed before publishing, then planned differently), as
     * compaction does for a partition; returns how many.
     */
    int collectGarbage(LakePartition snapshot, PartitionDirectory directory, ManifestStore.Versioned current,
                       CompactionSettings settings, Instant now) {
        PartitionManifest manifest = current.manifest();
        Set<String> published = manifest.fileNames();
        Set<String> listedAsGarbage = manifest.garbageNames();
        Set<String> deletedGarbage = manifest.expiredGarbage(settings.gcGrace(), now);
        List<String> names = new ArrayList<>(deletedGarbage);
        Instant orphanCutoff = now.minus(settings.orphanGrace());
        for (PartitionDirectory.ObjectInfo object : directory.objects().values()) {
            if (CompactedFileNames.isCompacted(object.name()) && !published.contains(object.name())
                    && !listedAsGarbage.contains(object.name()) && !object.lastModified().isAfter(orphanCutoff)) {
                names.add(object.name());
            }
        }
        delete(snapshot, names);
        int count = names.size();
        // Delete rows of other plans: replaced by this snapshot, or written by a run that crashed or lost a race.
        // Only the chain reads them, by the published hash, so they go when old enough not to be a concurrent
        // run's unpublished output.
        Optional<String> hash = CurrentStatePlan.hashOf(manifest);
        LakePartition deletedKeys = CurrentStateBuilder.deletedKeys(snapshot);
        List<String> stale = new ArrayList<>();
        for (PartitionDirectory.ObjectInfo object : list(deletedKeys)) {
            if (!hash.equals(CurrentStatePlan.hashOfName(object.name()))
                    && !object.lastModified().isAfter(orphanCutoff)) {
                stale.add(object.name());
            }
        }
        delete(deletedKeys, stale);
        count += stale.size();
        if (!deletedGarbage.isEmpty()) {
            try {
                new ManifestStore(s3, bucket).replace(snapshot, manifest.withoutGarbage(deletedGarbage),
                        Optional.of(current));
                faults.at(CompactionStep.GARBAGE_RECORDED, snapshot);
            } catch (ManifestConflictException e) {
                // Another run published meanwhile; its manifest still lists what was deleted, and its next garbage
                // collection deletes it again, which is harmless.
                faults.at(CompactionStep.GARBAGE_RECORDED, snapshot);
            }
        }
        return count;
    }

    /** The files of the snapshot's delete rows whose names carry {@code hash}, in name order. */
    List<PartitionDirectory.ObjectInfo> deletedKeyFiles(LakePartition snapshot, String hash) {
        return list(CurrentStateBuilder.deletedKeys(snapshot)).stream()
                .filter(object -> CurrentStatePlan.hashOfName(object.name()).equals(Optional.of(hash)))
                .sorted(Comparator.comparing(PartitionDirectory.ObjectInfo::name)).toList();
    }

    private List<PartitionDirectory.ObjectInfo> list(LakePartition directory) {
        String prefix = directory.directory();
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")).contents().stream()
                .map(o -> new PartitionDirectory.ObjectInfo(o.key().substring(prefix.length()), o.size(),
                        o.lastModified()))
                .toList();
    }

    /**
     * Deletes an expired snapshot: the manifest first, so that a crash part-way leaves an unpublished directory
     * (which the next run deletes) rather than a published snapshot with files missing; then its files and delete
     * rows. Returns how many objects went.
     */
    int expire(LakePartition snapshot) {
        List<String> names = new ArrayList<>();
        String prefix = snapshot.directory();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            names.add(object.key().substring(prefix.length()));
        }
        if (names.remove(PartitionManifest.FILE_NAME)) {
            delete(snapshot, List.of(PartitionManifest.FILE_NAME));
            delete(snapshot, names);
            return names.size() + 1;
        }
        delete(snapshot, names);
        return names.size();
    }

    private void delete(LakePartition snapshot, List<String> names) {
        deleter.delete(snapshot, names, deleted -> faults.at(CompactionStep.GARBAGE_DELETED, snapshot));
    }
}
