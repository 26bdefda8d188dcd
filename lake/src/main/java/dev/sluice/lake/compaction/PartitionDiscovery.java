package dev.sluice.lake.compaction;

import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.PartitionValueEncoder;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Finds the closed partitions of a prefix by walking {@code year=/month=/day=/hour=} with delimiter listings,
 * descending only into periods that can hold an hour that is closed and within the lookback. Open hours and old
 * history are never listed file by file.
 */
final class PartitionDiscovery {

    private static final String STATE_DIRECTORY = "_sluice/";
    private static final Pattern[] LEVELS = {
        Pattern.compile("year=(\\d{4})/"), Pattern.compile("month=(\\d{2})/"),
        Pattern.compile("day=(\\d{2})/"), Pattern.compile("hour=(\\d{2})/"),
    };

    private final S3Client s3;
    private final String bucket;
    private final ZoneId zone;

    PartitionDiscovery(S3Client s3, String bucket, ZoneId zone) {
        this.s3 = s3;
        this.bucket = bucket;
        this.zone = zone;
    }

    /**
     * The topics that have a directory under {@code prefix}, decoded. Directories that are not the encoding of a
     * topic (a name cut to 128 bytes cannot be decoded back) are skipped.
     */
    List<String> topics(String prefix) {
        List<String> topics = new ArrayList<>();
        for (String child : children(prefix + '/')) {
            String segment = child.substring(0, child.length() - 1);
            String topic = PartitionValueEncoder.decode(segment);
            if (!child.equals(STATE_DIRECTORY) && topic != null && PartitionValueEncoder.encode(topic).equals(segment)) {
                topics.add(topic);
            }
        }
        return topics;
    }

    /** The partitions of {@code topic} whose hour ended in {@code (endedAfter, closedBefore]}. */
    List<LakePartition> partitions(String prefix, String topic, Instant closedBefore, Instant endedAfter) {
        List<LakePartition> found = new ArrayList<>();
        walk(prefix, topic, new ObjectKeyNamer(prefix).topicDirectory(topic), "", 0, new int[4], closedBefore,
                endedAfter, found);
        return found;
    }

    private void walk(String prefix, String topic, String topicDirectory, String path, int level, int[] values,
                      Instant closedBefore, Instant endedAfter, List<LakePartition> found) {
        for (String child : children(topicDirectory + path)) {
            Matcher m = LEVELS[level].matcher(child);
            if (!m.matches()) {
                continue;
            }
            values[level] = Integer.parseInt(m.group(1));
            LocalDateTime start;
            LocalDateTime end;
            try {
                start = periodStart(level, values);
                end = periodEnd(level, start);
            } catch (DateTimeException e) {
                continue;
            }
            Instant periodStart = PartitionHours.start(start, zone);
            Instant periodEnd = PartitionHours.end(end, zone);
            boolean inRange = level == 3 ? !periodEnd.isAfter(closedBefore) && periodEnd.isAfter(endedAfter)
                    : periodStart.isBefore(closedBefore) && periodEnd.isAfter(endedAfter);
            if (!inRange) {
                continue;
            }
            if (level < 3) {
                walk(prefix, topic, topicDirectory, path + child, level + 1, values, closedBefore, endedAfter, found);
            } else {
                String hourPath = path + child;
                for (String directory : directoriesUnder(topicDirectory + hourPath)) {
                    String partitionPath = directory.substring(topicDirectory.length(), directory.length() - 1);
                    if (LakePartition.isValidPath(partitionPath)) {
                        found.add(new LakePartition(prefix, topic, partitionPath));
                    }
                }
            }
        }
    }

    private static LocalDateTime periodStart(int level, int[] v) {
        return switch (level) {
            case 0 -> LocalDateTime.of(v[0], 1, 1, 0, 0);
            case 1 -> LocalDateTime.of(v[0], v[1], 1, 0, 0);
            case 2 -> LocalDateTime.of(v[0], v[1], v[2], 0, 0);
            default -> LocalDateTime.of(v[0], v[1], v[2], v[3], 0);
        };
    }

    private static LocalDateTime periodEnd(int level, LocalDateTime start) {
        return switch (level) {
            case 0 -> start.plusYears(1);
            case 1 -> start.plusMonths(1);
            case 2 -> start.plusDays(1);
            default -> start.plusHours(1);
        };
    }

    /** The immediate sub-directories of {@code directory}, as names ending with a slash. */
    private List<String> children(String directory) {
        List<String> names = new ArrayList<>();
        for (CommonPrefix common : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory).delimiter("/"))
                .commonPrefixes()) {
            names.add(common.prefix().substring(directory.length()));
        }
        return names;
    }

    /** Every directory at or below {@code directory} that directly holds an object, each ending with a slash. */
    private TreeSet<String> directoriesUnder(String directory) {
        TreeSet<String> directories = new TreeSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory)).contents()) {
            directories.add(object.key().substring(0, object.key().lastIndexOf('/') + 1));
        }
        return directories;
    }
}
