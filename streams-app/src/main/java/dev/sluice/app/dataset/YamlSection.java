package dev.sluice.app.dataset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.sluice.app.validate.Durations;

/**
 * One mapping of a specification file with its field path: typed reads that fail naming {@code <file>: <path>}, and
 * the check that it holds no key but the known ones.
 */
final class YamlSection {

    private final String file;
    private final String path;
    private final Map<?, ?> values;

    private YamlSection(String file, String path, Map<?, ?> values) {
        this.file = file;
        this.path = path;
        this.values = values;
    }

    static YamlSection root(String file, Map<?, ?> values) {
        return new YamlSection(file, "", values);
    }

    /** Rejects every key not in {@code known}, naming the first (in sorted order) with the known ones. */
    YamlSection allow(Set<String> known) {
        for (Object key : values.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw error(String.valueOf(key), "unknown key; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return this;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    InvalidDatasetException error(String key, String problem) {
        return new InvalidDatasetException(file, path(key), problem);
    }

    String file() {
        return file;
    }

    Object raw(String key) {
        return values.get(key);
    }

    Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            throw error(key, "expected a single value");
        }
        return Optional.of(value.toString());
    }

    String required(String key) {
        return string(key).orElseThrow(() -> error(key, "required"));
    }

    Optional<Boolean> bool(String key) {
        Optional<String> text = string(key);
        if (text.isPresent() && !text.get().equals("true") && !text.get().equals("false")) {
            throw error(key, "expected true or false (was '" + text.get() + "')");
        }
        return text.map(Boolean::parseBoolean);
    }

    Optional<Duration> duration(String key) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = Durations.parse(text.get(), path(key));
        } catch (IllegalArgumentException e) {
            throw error(key, "'" + text.get() + "' is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw error(key, "must be positive (was '" + text.get() + "')");
        }
        return Optional.of(duration);
    }

    /** A list of single values; a single value counts as a list of one. Absent: empty. */
    List<String> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?>) {
            throw error(key, "expected a list");
        }
        List<String> items = new ArrayList<>();
        for (Object item : value instanceof Collection<?> c ? c : List.of(value)) {
            if (item == null || item instanceof Map<?, ?> || item instanceof Collection<?>) {
                throw error(key, "expected a list of single values");
            }
            items.add(item.toString());
        }
        return List.copyOf(items);
    }

    /** The nested mapping under {@code key}; an absent key gives an empty one. */
    YamlSection section(String key) {
        Object value = values.get(key);
        if (value != null && !(value instanceof Map<?, ?>)) {
            throw error(key, "expected a mapping");
        }
        return new YamlSection(file, path(key), value == null ? Map.of() : (Map<?, ?>) value);
    }

    /** The entries of a mapping of single values, in file order. */
    Map<String, String> entries() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : values.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (entry.getValue() == null) {
                throw error(key, "required");
            }
            entries.put(key, string(key).orElseThrow());
        }
        return entries;
    }

    Map<?, ?> values() {
        return values;
    }
}
