package dev.sluice.lake.compaction;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Deletes a whole partition through its published state, so that a reader following that state sees either every
 * file of the partition or none, never a part:
 * <ol>
 * <li><b>unpublish</b>: one conditional PUT of a manifest that publishes nothing — no {@code files}, every sink file
 * listed in {@code consumed}, the files it had published added to {@code garbage}. From here on the published state
 * is empty, whatever happens next;</li>
 * <li>delete every other object of the directory, in batches;</li>
 * <li>delete the manifest last, and only when a new listing shows nothing else left. Deleted earlier, it would
 * publish again the consumed sink files a crash or a failed batch left behind.</li>
 * </ol>
 * A crash at any point leaves a partition that is either untouched or publishes nothing; retiring it again finishes
 * the work. The PUT is conditional like a compaction commit, so a compaction committing at the same moment makes
 * one of the two lose ({@link Outcome#CONFLICT}) instead of one overwriting the other.
 */
public final class PartitionRetirement {

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;
    private final LakePartitionReader reader;
    private final ManifestStore manifests;
    private final PartitionObjectDeleter deleter;
    private final Consumer<Step> afterStep;

    public PartitionRetirement(S3Client s3, String bucket, Clock clock) {
        this(s3, bucket, clock, step -> {
        });
    }

    /** A retirement that calls {@code afterStep} after each step, for tests that look at or crash it there. */
    PartitionRetirement(S3Client s3, String bucket, Clock clock, Consumer<Step> afterStep) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
        this.reader = new LakePartitionReader(s3, bucket);
        this.manifests = new ManifestStore(s3, bucket);
        this.deleter = new PartitionObjectDeleter(s3, bucket);
        this.afterStep = afterStep;
    }

    /** The points between the steps of a retirement. */
    enum Step {
        /** The manifest that publishes nothing is committed. */
        UNPUBLISHED,
        /** One batch of the directory's other objects is deleted. */
        BATCH_DELETED
    }

    /**
     * What a partition directory holds.
     *
     * @param partition      the partition
     * @param objects        objects directly in its directory, the manifest included
     * @param bytes          their size
     * @param publishedFiles how many of them a reader reads
     */
    public record Contents(LakePartition partition, int objects, long bytes, int publishedFiles) {
    }

    /** How a retirement ended. */
    public enum Outcome {
        /** Unpublished, and every object of the directory deleted. */
        RETIRED,
        /** Unpublished and emptied, but objects appeared meanwhile; the manifest stays until a later retirement. */
        INCOMPLETE,
        /** Another writer replaced the manifest first; nothing was changed. */
        CONFLICT
    }

    /**
     * What a retirement did.
     *
     * @param before         what the directory held
     * @param outcome        how it ended
     * @param deletedObjects objects of the partition deleted (its manifest included, if it had one)
     * @param deletedBytes   their size
     */
    public record Result(Contents before, Outcome outcome, int deletedObjects, long deletedBytes) {
    }

    /** Lists the partition's directory and reads its manifest, changing nothing. */
    public Contents inspect(LakePartition partition) {
        return contents(reader.inspect(partition));
    }

    /** Unpublishes the partition and deletes its objects, in the order the class describes. */
    public Result retire(LakePartition partition) {
        PartitionDirectory directory = reader.inspect(partition);
        Contents before = contents(directory);
        try {
            manifests.replace(partition, unpublished(directory), directory.manifest());
        } catch (ManifestConflictException e) {
            return new Result(before, Outcome.CONFLICT, 0, 0);
        }
        afterStep.accept(Step.UNPUBLISHED);
        List<PartitionDirectory.ObjectInfo> others = directory.objects().values().stream()
                .filter(object -> !object.name().equals(PartitionManifest.FILE_NAME)).toList();
        delete(partition, others.stream().map(PartitionDirectory.ObjectInfo::name).toList());
        int deleted = others.size();
        long deletedBytes = others.stream().mapToLong(PartitionDirectory.ObjectInfo::bytes).sum();
        PartitionDirectory left = reader.inspect(partition);
        if (!left.objects().keySet().equals(Set.of(PartitionManifest.FILE_NAME))) {
            return new Result(before, Outcome.INCOMPLETE, deleted, deletedBytes);
        }
        s3.deleteObject(b -> b.bucket(bucket).key(ManifestStore.key(partition)));
        // What the partition held is gone; the unpublishing manifest was ours and is not counted.
        return new Result(before, Outcome.RETIRED, before.objects(), before.bytes());
    }

    /** A manifest that publishes nothing of what the listing holds. */
    private PartitionManifest unpublished(PartitionDirectory directory) {
        Instant now = clock.instant();
        Optional<PartitionManifest> previous = directory.manifest().map(ManifestStore.Versioned::manifest);
        SortedSet<String> consumed = new TreeSet<>(previous.map(PartitionManifest::consumed).orElse(new TreeSet<>()));
        directory.sinkFiles().forEach(file -> consumed.add(file.info().name()));
        List<PartitionManifest.GarbageEntry> garbage = new ArrayList<>(previous.map(PartitionManifest::garbage)
                .orElse(List.of()));
        Set<String> listed = new TreeSet<>(garbage.stream().map(PartitionManifest.GarbageEntry::name).toList());
        for (PublishedFile file : directory.published().files()) {
            if (listed.add(file.name())) {
                garbage.add(new PartitionManifest.GarbageEntry(file.name(), now));
            }
        }
        long generation = previous.map(PartitionManifest::generation).orElse(0L) + 1;
        return new PartitionManifest(generation, now, List.of(), consumed, garbage);
    }

    private static Contents contents(PartitionDirectory directory) {
        long bytes = directory.objects().values().stream().mapToLong(PartitionDirectory.ObjectInfo::bytes).sum();
        return new Contents(directory.partition(), directory.objects().size(), bytes,
                directory.published().files().size());
    }

    private void delete(LakePartition partition, List<String> names) {
        deleter.delete(partition, names, deleted -> afterStep.accept(Step.BATCH_DELETED));
    }
}
