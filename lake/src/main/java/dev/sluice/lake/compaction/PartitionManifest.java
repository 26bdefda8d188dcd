package dev.sluice.lake.compaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The published state of one partition, kept in the object {@value #FILE_NAME} of its directory. Readers take
 * {@link #files()} plus every sink file of the directory that is not in {@link #consumed()} (see
 * {@link LakePartitionReader}); compaction replaces the object with a conditional PUT, which is its commit point.
 *
 * @param generation  1 for the first commit, one more for every later one
 * @param committedAt when the generation was committed
 * @param files       the compacted files that are published
 * @param consumed    names of sink files whose rows are in compacted files; they are never published again, even if
 *                    an object of that name reappears
 * @param garbage     files that are no longer published and wait to be deleted
 */
public record PartitionManifest(long generation, Instant committedAt, List<CompactedFile> files,
                                SortedSet<String> consumed, List<GarbageEntry> garbage) {

    /** Name of the manifest object in the partition directory. */
    public static final String FILE_NAME = "_sluice_manifest.json";

    /** The format written and the only one understood; a newer one makes readers and compaction stop. */
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FILE = Pattern.compile("[^/\\\\]+\\.parquet");

    public PartitionManifest {
        files = List.copyOf(files);
        consumed = Collections.unmodifiableSortedSet(new TreeSet<>(consumed));
        garbage = List.copyOf(garbage);
        for (CompactedFile file : files) {
            requireFileName(file.name());
        }
        consumed.forEach(PartitionManifest::requireFileName);
        garbage.forEach(entry -> requireFileName(entry.name()));
    }

    /**
     * A file that is no longer published.
     *
     * @param name  the file name within the partition directory
     * @param since when it stopped being published
     */
    public record GarbageEntry(String name, Instant since) {
    }

    /** The names of the published compacted files. */
    public Set<String> fileNames() {
        Set<String> names = new TreeSet<>();
        files.forEach(file -> names.add(file.name()));
        return names;
    }

    /** The names of the files in the garbage list. */
    Set<String> garbageNames() {
        Set<String> names = new TreeSet<>();
        garbage.forEach(entry -> names.add(entry.name()));
        return names;
    }

    /**
     * The garbage that may be deleted at {@code now}: listed for {@code gcGrace} or longer, and not published again
     * (a file name this manifest publishes is never deleted, whatever an older list says).
     */
    SortedSet<String> expiredGarbage(Duration gcGrace, Instant now) {
        Set<String> published = fileNames();
        SortedSet<String> expired = new TreeSet<>();
        for (GarbageEntry entry : garbage) {
            if (!entry.since().plus(gcGrace).isAfter(now) && !published.contains(entry.name())) {
                expired.add(entry.name());
            }
        }
        return expired;
    }

    /** This manifest with {@code entries} no longer in the garbage list. */
    PartitionManifest withoutGarbage(Set<String> deleted) {
        List<GarbageEntry> left = new ArrayList<>();
        for (GarbageEntry entry : garbage) {
            if (!deleted.contains(entry.name())) {
                left.add(entry);
            }
        }
        return new PartitionManifest(generation, committedAt, files, consumed, left);
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("generation", generation);
        root.put("committedAt", committedAt.toString());
        ArrayNode fileNodes = root.putArray("files");
        for (CompactedFile file : files) {
            fileNodes.addObject()
                    .put("name", file.name())
                    .put("bytes", file.bytes())
                    .put("rows", file.rows())
                    .put("firstPartition", file.firstPartition())
                    .put("firstOffset", file.firstOffset());
        }
        ArrayNode consumedNodes = root.putArray("consumed");
        consumed.forEach(consumedNodes::add);
        ArrayNode garbageNodes = root.putArray("garbage");
        for (GarbageEntry entry : garbage) {
            garbageNodes.addObject().put("name", entry.name()).put("since", entry.since().toString());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Parses a manifest.
     *
     * @throws IllegalArgumentException when it is not a manifest of a format this code understands
     */
    static PartitionManifest fromJson(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IllegalArgumentException("format " + format + " is not understood (expected " + FORMAT + ")");
        }
        try {
            List<CompactedFile> files = new ArrayList<>();
            for (JsonNode node : array(root, "files")) {
                files.add(new CompactedFile(text(node, "name"), number(node, "bytes"), number(node, "rows"),
                        Math.toIntExact(number(node, "firstPartition")), number(node, "firstOffset")));
            }
            SortedSet<String> consumed = new TreeSet<>();
            for (JsonNode node : array(root, "consumed")) {
                if (!node.isTextual()) {
                    throw new IllegalArgumentException("consumed holds a non-string");
                }
                consumed.add(node.asText());
            }
            List<GarbageEntry> garbage = new ArrayList<>();
            for (JsonNode node : array(root, "garbage")) {
                garbage.add(new GarbageEntry(text(node, "name"), Instant.parse(text(node, "since"))));
            }
            return new PartitionManifest(number(root, "generation"), Instant.parse(text(root, "committedAt")), files,
                    consumed, garbage);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not an array");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException("'" + field + "' is missing or not a non-negative integer");
        }
        return value.asLong();
    }

    private static void requireFileName(String name) {
        if (name == null || !FILE.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("'" + name + "' is not a Parquet file name within the partition");
        }
    }
}
