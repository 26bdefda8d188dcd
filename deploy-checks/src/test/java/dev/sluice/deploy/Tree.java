package dev.sluice.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading parsed YAML and JSON trees without casts at every step: absent parts read as empty. */
final class Tree {

    private Tree() {
    }

    /** The mapping at {@code keys} below {@code node}, or an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... keys) {
        Object current = at(node, keys);
        return current instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The list at {@code keys} below {@code node}, or an empty one. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String... keys) {
        Object current = at(node, keys);
        return current instanceof List<?> list ? (List<Object>) list : List.of();
    }

    /** The mappings of the list at {@code keys}. */
    static List<Map<String, Object>> maps(Object node, String... keys) {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object item : list(node, keys)) {
            maps.add(map(item));
        }
        return maps;
    }

    /** The scalar at {@code keys} as text, or null. */
    static String text(Object node, String... keys) {
        Object current = at(node, keys);
        return current == null || current instanceof Map || current instanceof List ? null : String.valueOf(current);
    }

    static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** The kind/name of a Kubernetes resource, for messages. */
    static String id(Map<String, Object> resource) {
        return text(resource, "kind") + "/" + text(resource, "metadata", "name");
    }

    /** A deep, mutable copy with string keys. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), copyValue(value)));
        return copy;
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copy(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(copyValue(item)));
            return copy;
        }
        return value;
    }
}
