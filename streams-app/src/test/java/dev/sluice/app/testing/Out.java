package dev.sluice.app.testing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** A record read from an output topic of the test driver, value decoded. */
public record Out<K, V>(K key, V value, Headers headers, long timestamp) {

    /** A header's value as UTF-8, null when absent. */
    public String header(String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
