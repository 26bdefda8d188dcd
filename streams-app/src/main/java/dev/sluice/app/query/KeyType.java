package dev.sluice.app.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The type of a gold store's key: how it is read from a URL, serialized (to find its partition) and ordered.
 * Numeric ids are positive (the validation rules make them so), which keeps their big-endian bytes, the stores'
 * order, in numeric order.
 */
public enum KeyType {
    /** A positive id, e.g. a customer or product id. */
    LONG {
        @Override
        public Object parse(String raw, String name) {
            try {
                long value = Long.parseLong(raw.strip());
                if (value >= 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw QueryException.badRequest(name + " must be a non-negative integer, not '" + Text.quote(raw) + "'");
        }

        @Override
        @SuppressWarnings("unchecked")
        public Serializer<Object> serializer() {
            return (Serializer<Object>) (Serializer<?>) Serdes.Long().serializer();
        }

        @Override
        public int compare(Object a, Object b) {
            return Long.compare((Long) a, (Long) b);
        }
    },
    /** A text key, e.g. a region or user id: ordered by its UTF-8 bytes, as the stores order it. */
    STRING {
        @Override
        public Object parse(String raw, String name) {
            if (raw.isEmpty() || raw.length() > MAX_STRING_KEY) {
                throw QueryException.badRequest(name + " must have 1 to " + MAX_STRING_KEY + " characters");
            }
            return raw;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Serializer<Object> serializer() {
            return (Serializer<Object>) (Serializer<?>) Serdes.String().serializer();
        }

        @Override
        public int compare(Object a, Object b) {
            return Arrays.compareUnsigned(((String) a).getBytes(StandardCharsets.UTF_8),
                    ((String) b).getBytes(StandardCharsets.UTF_8));
        }
    };

    static final int MAX_STRING_KEY = 256;

    /** The key in {@code raw}; a 400 answer naming {@code name} when it is not one. */
    public abstract Object parse(String raw, String name);

    /** The serializer the topology writes this key with, which decides its partition. */
    public abstract Serializer<Object> serializer();

    /** The stores' order of two keys of this type. */
    public abstract int compare(Object a, Object b);

    /** The key as text, for cursors. */
    public String format(Object key) {
        return key.toString();
    }
}
