package dev.sluice.lake.compaction;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.PartitionValueEncoder;

/**
 * One partition directory of the lake: the files of one topic under one Hive-style partition path, e.g.
 * {@code silver/silver.orders/year=2026/month=03/day=07/hour=09/region=EU/}. Compaction and its published state
 * are per partition.
 *
 * @param prefix the key prefix the sink writes under (its {@code topics.dir})
 * @param topic  the Kafka topic, decoded
 * @param path   the partition path as it appears in keys (encoded), without leading or trailing slash
 */
public record LakePartition(String prefix, String topic, String path) {

    public LakePartition {
        ObjectKeyNamer.validatePrefix(prefix);
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (!isValidPath(path)) {
            throw new IllegalArgumentException("partition path must be non-empty slash-separated segments without "
                    + "'.', '..' or backslashes, got '" + path + "'");
        }
    }

    /** Whether {@code path} is a partition path: non-empty segments, none of them '.' or '..', no backslash. */
    static boolean isValidPath(String path) {
        if (path == null || path.isEmpty() || path.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** The key prefix of the partition's objects, ending with a slash. */
    public String directory() {
        return new ObjectKeyNamer(prefix).topicDirectory(topic) + path + '/';
    }

    /** The topic as it appears in keys and file names. */
    public String topicSegment() {
        return PartitionValueEncoder.encode(topic);
    }

    @Override
    public String toString() {
        return prefix + '/' + topicSegment() + '/' + path;
    }
}
