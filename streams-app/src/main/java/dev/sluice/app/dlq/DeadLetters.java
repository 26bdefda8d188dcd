package dev.sluice.app.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records in the one format of every stage: the original key and value bytes and headers,
 * untouched, plus the {@link DeadLetterHeaders} that say why. Header values are sanitised (no control characters,
 * bounded length) because they echo untrusted input.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** The original headers followed by the dead-letter headers. */
    public static Headers headers(Headers original, Failure failure, String sourceTopic, int partition, long offset,
            long timeMs, String appVersion) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                headers.add(header.key(), header.value());
            }
        }
        add(headers, DeadLetterHeaders.ERROR_CODE, failure.code().name());
        add(headers, DeadLetterHeaders.ERROR_MESSAGE, sanitise(failure.message()));
        if (failure.rule() != null) {
            add(headers, DeadLetterHeaders.ERROR_RULE, failure.rule());
        }
        if (failure.exceptionClass() != null) {
            add(headers, DeadLetterHeaders.ERROR_CLASS, failure.exceptionClass());
        }
        add(headers, DeadLetterHeaders.STAGE, failure.stage().id());
        add(headers, DeadLetterHeaders.SOURCE_TOPIC, sourceTopic == null ? "" : sourceTopic);
        add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(partition));
        add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(offset));
        add(headers, DeadLetterHeaders.TIME, Instant.ofEpochMilli(timeMs).toString());
        add(headers, DeadLetterHeaders.APP_VERSION, appVersion);
        return headers;
    }

    /**
     * A complete dead-letter record for Kafka Streams' exception handlers, with the failed record's timestamp.
     *
     * @param timeMs when it is dead-lettered (header {@value DeadLetterHeaders#TIME})
     */
    public static ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value, Headers original, Failure failure,
            String sourceTopic, int partition, long offset, long recordTimestamp, long timeMs, String appVersion) {
        return new ProducerRecord<>(failure.stage().topic(), null, recordTimestamp < 0 ? null : recordTimestamp, key,
                value, headers(original, failure, sourceTopic, partition, offset, timeMs, appVersion));
    }

    /** Replaces control characters and cuts overly long text, so that a header never carries hostile bytes. */
    static String sanitise(String text) {
        String bounded = text.length() > DeadLetterHeaders.MAX_MESSAGE_CHARS
                ? text.substring(0, DeadLetterHeaders.MAX_MESSAGE_CHARS) + "..."
                : text;
        StringBuilder out = new StringBuilder(bounded.length());
        bounded.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
