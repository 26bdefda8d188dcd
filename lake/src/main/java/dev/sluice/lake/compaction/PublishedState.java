package dev.sluice.lake.compaction;

import java.util.List;

/**
 * The files a reader of one partition must read: every row of the partition is in exactly one of them.
 *
 * @param partition  the partition
 * @param generation the manifest generation the state was derived from; 0 when the partition has no manifest
 * @param files      the files, in Kafka order of their first rows
 */
public record PublishedState(LakePartition partition, long generation, List<PublishedFile> files) {

    public PublishedState {
        files = List.copyOf(files);
    }

    /** Total size of the files. */
    public long bytes() {
        return files.stream().mapToLong(PublishedFile::bytes).sum();
    }

    /** The object keys of the files. */
    public List<String> keys() {
        return files.stream().map(PublishedFile::key).toList();
    }
}
