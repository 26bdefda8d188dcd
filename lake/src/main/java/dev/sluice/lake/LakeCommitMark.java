package dev.sluice.lake;

import java.util.Optional;

/**
 * The metadata of every offset the S3 sink commits to Kafka. It marks the commit as the sink's own (a committed offset
 * without the mark was set by somebody else, e.g. an offset reset) and, once groups of records carrying a source time
 * ({@link KafkaColumns#SOURCE_TS_HEADER}) were published, says how fresh the lake is: when the last of them was
 * published and the largest latency from a record's source time to its publication among the groups published since
 * the previous mark. streams-app reads it from the sink's consumer group for its lake freshness, which is why it
 * travels with the commit: no extra topic, and it is in Kafka exactly when the lake has the data.
 *
 * <p>Format: {@code sluice-s3-sink} alone, or {@code sluice-s3-sink;published=<epoch ms>;max-latency-ms=<ms>}. Kafka
 * keeps up to {@code offset.metadata.max.bytes} (4096 by default) of it.
 *
 * @param publishedAt      epoch milliseconds of the last publication
 * @param maxLatencyMillis largest source-to-publication latency among the records of the groups since the last mark
 */
public record LakeCommitMark(long publishedAt, long maxLatencyMillis) {

    /** The mark of a commit without freshness, and the prefix of every mark. */
    public static final String PREFIX = "sluice-s3-sink";
    private static final String PUBLISHED = "published=";
    private static final String MAX_LATENCY = "max-latency-ms=";

    public LakeCommitMark {
        if (maxLatencyMillis < 0) {
            throw new IllegalArgumentException("max latency < 0: " + maxLatencyMillis);
        }
    }

    /** Whether {@code metadata} of a committed offset was written by the S3 sink. */
    public static boolean isMarked(String metadata) {
        return metadata != null && (metadata.equals(PREFIX) || metadata.startsWith(PREFIX + ";"));
    }

    /** The freshness a sink's commit metadata carries; empty for a bare mark or metadata not the sink's. */
    public static Optional<LakeCommitMark> parse(String metadata) {
        if (!isMarked(metadata) || metadata.equals(PREFIX)) {
            return Optional.empty();
        }
        long published = -1;
        long maxLatency = -1;
        for (String field : metadata.substring(PREFIX.length() + 1).split(";")) {
            try {
                if (field.startsWith(PUBLISHED)) {
                    published = Long.parseLong(field.substring(PUBLISHED.length()));
                } else if (field.startsWith(MAX_LATENCY)) {
                    maxLatency = Long.parseLong(field.substring(MAX_LATENCY.length()));
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return published < 0 || maxLatency < 0 ? Optional.empty()
                : Optional.of(new LakeCommitMark(published, maxLatency));
    }

    /** The commit metadata of {@code mark}: the bare prefix without one. */
    public static String format(Optional<LakeCommitMark> mark) {
        return mark.map(m -> PREFIX + ";" + PUBLISHED + m.publishedAt + ";" + MAX_LATENCY + m.maxLatencyMillis)
                .orElse(PREFIX);
    }

    /** This mark and a later publication together: the later time, the larger latency. */
    public LakeCommitMark and(long laterPublishedAt, long latencyMillis) {
        return new LakeCommitMark(Math.max(publishedAt, laterPublishedAt), Math.max(maxLatencyMillis, latencyMillis));
    }
}
