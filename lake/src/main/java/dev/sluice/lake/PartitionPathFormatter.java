package dev.sluice.lake;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Formats the Hive-style partition path of a record: {@code year=YYYY/month=MM/day=DD/hour=HH} of its
 * event time in a fixed time zone, followed by one {@code name=value} segment per configured field.
 * Field values are encoded with {@link PartitionValueEncoder}, so no value can leave its segment.
 *
 * <p>Not thread-safe: it caches the last hour it formatted and the encoding of recent field values,
 * which makes the common case (records of the same hour, few distinct values) allocation-light.
 */
public final class PartitionPathFormatter {

    /** Field paths allowed in configuration: dotted identifiers. */
    public static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private static final List<String> TIME_SEGMENTS = List.of("year", "month", "day", "hour");
    private static final int MAX_CACHED_VALUES = 4096;

    private final ZoneId zone;
    private final List<String> fieldSegmentNames;
    private long cachedHourStart = Long.MAX_VALUE;
    private long cachedHourEnd = Long.MIN_VALUE;
    private String cachedTimePath;
    /** Partition values repeat (regions, tiers); encoding them once per value matters at high rates. */
    private final Map<String, String> encodedValues = new HashMap<>();

    /**
     * @param zone       time zone whose local hour names the time segments
     * @param fieldPaths dotted field paths (see {@link #FIELD_PATH}) partitioned on after the hour
     */
    public PartitionPathFormatter(ZoneId zone, List<String> fieldPaths) {
        this.zone = zone;
        this.fieldSegmentNames = fieldPaths.stream().map(PartitionPathFormatter::segmentName).toList();
        for (String name : fieldSegmentNames) {
            if (TIME_SEGMENTS.contains(name)) {
                throw new IllegalArgumentException("Partition field '" + name + "' clashes with a time segment");
            }
        }
        if (fieldSegmentNames.stream().distinct().count() != fieldSegmentNames.size()) {
            throw new IllegalArgumentException("Partition fields map to duplicate segment names: " + fieldSegmentNames);
        }
    }

    /** The segment name of a dotted field path: {@code customer.region} becomes {@code customer_region}. */
    public static String segmentName(String fieldPath) {
        if (!FIELD_PATH.matcher(fieldPath).matches()) {
            throw new IllegalArgumentException("Not a field path: '" + fieldPath + "'");
        }
        return fieldPath.replace('.', '_');
    }

    /**
     * Formats the path, without leading or trailing slash.
     *
     * @param eventTimeMillis event time, epoch milliseconds
     * @param fieldValues     one raw value per configured field, null for missing
     */
    public String format(long eventTimeMillis, List<String> fieldValues) {
        if (fieldValues.size() != fieldSegmentNames.size()) {
            throw new IllegalArgumentException("Expected " + fieldSegmentNames.size() + " field values, got "
                    + fieldValues.size());
        }
        String timePath = timePath(eventTimeMillis);
        if (fieldSegmentNames.isEmpty()) {
            return timePath;
        }
        StringBuilder path = new StringBuilder(timePath.length() + 32 * fieldSegmentNames.size()).append(timePath);
        for (int i = 0; i < fieldSegmentNames.size(); i++) {
            path.append('/').append(fieldSegmentNames.get(i)).append('=').append(encoded(fieldValues.get(i)));
        }
        return path.toString();
    }

    private String encoded(String value) {
        if (value == null) {
            return PartitionValueEncoder.NULL_PLACEHOLDER;
        }
        String encoded = encodedValues.get(value);
        if (encoded == null) {
            if (encodedValues.size() >= MAX_CACHED_VALUES) {
                encodedValues.clear();
            }
            encoded = PartitionValueEncoder.encode(value);
            encodedValues.put(value, encoded);
        }
        return encoded;
    }

    private String timePath(long millis) {
        if (millis >= cachedHourStart && millis < cachedHourEnd) {
            return cachedTimePath;
        }
        ZonedDateTime hour = Instant.ofEpochMilli(millis).atZone(zone).truncatedTo(ChronoUnit.HOURS);
        cachedHourStart = hour.toInstant().toEpochMilli();
        cachedHourEnd = hour.plusHours(1).toInstant().toEpochMilli();
        cachedTimePath = String.format("year=%04d/month=%02d/day=%02d/hour=%02d",
                hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour());
        return cachedTimePath;
    }

    /**
     * Parses a partition path back into segment names and decoded values (null for the null
     * placeholder), in path order. Used by readers of the layout such as compaction.
     */
    public static Map<String, String> parse(String partitionPath) {
        Map<String, String> segments = new LinkedHashMap<>();
        for (String segment : partitionPath.split("/")) {
            int eq = segment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Not a name=value segment: '" + segment + "'");
            }
            segments.put(segment.substring(0, eq), PartitionValueEncoder.decode(segment.substring(eq + 1)));
        }
        return segments;
    }
}
