package dev.sluice.connect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Values;

/**
 * A record's key as the lake's {@code __kafka_key} column holds it, the same for the S3 Parquet sink and for the
 * Iceberg sinks' delete markers: keys reach the sinks as bytes (ByteArrayConverter), decoded as UTF-8; a string as it
 * is; another converter's key in Connect's string form; null for a null key.
 */
public final class RecordKeyText {

    private RecordKeyText() {
    }

    public static String of(ConnectRecord<?> record) {
        Object key = record.key();
        if (key == null) {
            return null;
        }
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (key instanceof ByteBuffer buffer) {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
        if (key instanceof String text) {
            return text;
        }
        return Values.convertToString(record.keySchema(), key);
    }
}
