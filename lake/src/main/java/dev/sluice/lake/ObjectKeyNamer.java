package dev.sluice.lake;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the objects of the lake under one prefix:
 * <pre>
 *   &lt;prefix&gt;/&lt;topic&gt;/&lt;partition path&gt;/&lt;topic&gt;+&lt;kafkaPartition&gt;+&lt;startOffset&gt;.&lt;codec&gt;.parquet
 *   &lt;prefix&gt;/_sluice/checkpoints/&lt;topic&gt;/&lt;kafkaPartition&gt;
 * </pre>
 * The start offset is zero-padded to {@value #OFFSET_WIDTH} digits so that names sort by offset. A
 * name depends only on its inputs, which is what lets a retry overwrite an object instead of
 * duplicating it. Topic names are encoded like partition values; data directories always start
 * with {@code year=}, so they never collide with {@code _sluice}.
 */
public final class ObjectKeyNamer {

    /** Digits of the zero-padded start offset. */
    public static final int OFFSET_WIDTH = 20;

    /** Longest prefix accepted, in UTF-8 bytes; keeps whole keys below S3's 1024-byte limit. */
    public static final int MAX_PREFIX_BYTES = 200;

    private static final String STATE_DIRECTORY = "_sluice";
    private static final Pattern FILE_NAME =
            Pattern.compile("(?<topic>[^/+]+)\\+(?<partition>\\d{1,10})\\+(?<offset>\\d{" + OFFSET_WIDTH
                    + "})\\.(?<codec>[a-z]+)\\.parquet");

    private final String prefix;

    /** @param prefix the key prefix (the connector's {@code topics.dir}); see {@link #validatePrefix} */
    public ObjectKeyNamer(String prefix) {
        validatePrefix(prefix);
        this.prefix = prefix;
    }

    /**
     * Checks a prefix: 1 to {@value #MAX_PREFIX_BYTES} bytes, segments separated by single slashes
     * with none leading or trailing, no {@code .} or {@code ..} segment, no backslash or control
     * character.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        if (PartitionValueEncoder.utf8Length(prefix) > MAX_PREFIX_BYTES) {
            throw new IllegalArgumentException("must be at most " + MAX_PREFIX_BYTES + " bytes");
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                throw new IllegalArgumentException("must not contain control characters or backslashes");
            }
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "must be slash-separated names without empty, '.' or '..' segments and without leading or "
                                + "trailing slash, got '" + prefix + "'");
            }
        }
    }

    /** The prefix all keys start with. */
    public String prefix() {
        return prefix;
    }

    /** The directory of one topic's data, ending with a slash. */
    public String topicDirectory(String topic) {
        return prefix + '/' + topicSegment(topic) + '/';
    }

    /** The key of a data object. */
    public String dataKey(String topic, String partitionPath, int kafkaPartition, long startOffset, ParquetCodec codec) {
        if (kafkaPartition < 0 || startOffset < 0) {
            throw new IllegalArgumentException("Kafka partition and offset must not be negative");
        }
        String topicSegment = topicSegment(topic);
        return prefix + '/' + topicSegment + '/' + partitionPath + '/' + topicSegment + '+' + kafkaPartition + '+'
                + String.format("%0" + OFFSET_WIDTH + "d", startOffset) + '.' + codec.configName() + ".parquet";
    }

    /** A scratch object under the state directory, for checking what the S3 server supports. */
    public String probeKey(String name) {
        return prefix + '/' + STATE_DIRECTORY + "/probe/" + name;
    }

    /** The key of the sink's offset checkpoint of one Kafka partition. */
    public String checkpointKey(String topic, int kafkaPartition) {
        return prefix + '/' + STATE_DIRECTORY + "/checkpoints/" + topicSegment(topic) + '/' + kafkaPartition;
    }

    /** Parses a key written by {@link #dataKey} under this prefix; empty for any other key. */
    public Optional<DataObjectKey> parse(String key) {
        String head = prefix + '/';
        if (!key.startsWith(head)) {
            return Optional.empty();
        }
        String rest = key.substring(head.length());
        int topicEnd = rest.indexOf('/');
        int nameStart = rest.lastIndexOf('/');
        if (topicEnd <= 0 || nameStart <= topicEnd + 1) {
            return Optional.empty();
        }
        Matcher name = FILE_NAME.matcher(rest.substring(nameStart + 1));
        if (!name.matches() || !name.group("topic").equals(rest.substring(0, topicEnd))) {
            return Optional.empty();
        }
        ParquetCodec codec;
        try {
            codec = ParquetCodec.fromConfigName(name.group("codec"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        long partition = Long.parseLong(name.group("partition"));
        long offset;
        try {
            offset = Long.parseLong(name.group("offset"));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (partition > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new DataObjectKey(PartitionValueEncoder.decode(name.group("topic")),
                rest.substring(topicEnd + 1, nameStart), (int) partition, offset, codec));
    }

    private static String topicSegment(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("Topic must not be empty");
        }
        return PartitionValueEncoder.encode(topic);
    }
}
