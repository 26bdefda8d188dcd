package dev.sluice.lake.compaction;

/**
 * A data file that is part of a partition's published state.
 *
 * @param key    the object key
 * @param name   the file name within the partition directory
 * @param bytes  object size
 * @param origin who wrote it
 */
public record PublishedFile(String key, String name, long bytes, Origin origin) {

    /** Who wrote a published file. */
    public enum Origin {
        /** The S3 sink; not compacted (yet). */
        SINK,
        /** Compaction; listed in the manifest. */
        COMPACTED
    }
}
