package dev.sluice.lake.compaction;

import dev.sluice.lake.DataObjectKey;
import dev.sluice.lake.ObjectKeyNamer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one look at a partition found: the objects directly in its directory, then its manifest. The order matters
 * (see {@link LakePartitionReader}).
 *
 * @param partition the partition
 * @param objects   the objects of the directory by file name
 * @param manifest  the manifest read after listing, if any
 */
record PartitionDirectory(LakePartition partition, Map<String, ObjectInfo> objects,
                          Optional<ManifestStore.Versioned> manifest) {

    /**
     * An object in the directory.
     *
     * @param name         file name
     * @param bytes        size
     * @param lastModified when it was last written
     */
    record ObjectInfo(String name, long bytes, Instant lastModified) {
    }

    /**
     * A file named as the sink names them, for this partition's topic and path.
     *
     * @param info the object
     * @param key  what its name says
     */
    record SinkFile(ObjectInfo info, DataObjectKey key) {

        MergeKey firstKey() {
            return new MergeKey(key.kafkaPartition(), key.startOffset());
        }
    }

    /** The sink files present, in Kafka order. */
    List<SinkFile> sinkFiles() {
        ObjectKeyNamer namer = new ObjectKeyNamer(partition.prefix());
        String directory = partition.directory();
        List<SinkFile> files = new ArrayList<>();
        for (ObjectInfo info : objects.values()) {
            namer.parse(directory + info.name())
                    .filter(key -> key.topic().equals(partition.topic()) && key.partitionPath().equals(partition.path()))
                    .ifPresent(key -> files.add(new SinkFile(info, key)));
        }
        files.sort(Comparator.comparing(SinkFile::firstKey).thenComparing(file -> file.info().name()));
        return files;
    }

    /** The sink files that are published: those no commit has consumed. */
    List<SinkFile> publishedSinkFiles() {
        Set<String> consumed = manifest.map(m -> m.manifest().consumed()).orElse(java.util.Collections.emptySortedSet());
        return sinkFiles().stream().filter(file -> !consumed.contains(file.info().name())).toList();
    }

    /** The compacted files the manifest publishes. */
    List<CompactedFile> compactedFiles() {
        return manifest.map(m -> m.manifest().files()).orElse(List.of());
    }

    /** The published state: the manifest's files plus the sink files it has not consumed. */
    PublishedState published() {
        String directory = partition.directory();
        record Entry(MergeKey first, PublishedFile file) {
        }
        List<Entry> entries = new ArrayList<>();
        for (CompactedFile file : compactedFiles()) {
            entries.add(new Entry(file.firstKey(), new PublishedFile(directory + file.name(), file.name(),
                    file.bytes(), PublishedFile.Origin.COMPACTED)));
        }
        for (SinkFile file : publishedSinkFiles()) {
            entries.add(new Entry(file.firstKey(), new PublishedFile(directory + file.info().name(),
                    file.info().name(), file.info().bytes(), PublishedFile.Origin.SINK)));
        }
        entries.sort(Comparator.comparing(Entry::first).thenComparing(entry -> entry.file().name()));
        long generation = manifest.map(m -> m.manifest().generation()).orElse(0L);
        return new PublishedState(partition, generation, entries.stream().map(Entry::file).toList());
    }
}
