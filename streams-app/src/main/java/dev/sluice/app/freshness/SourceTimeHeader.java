package dev.sluice.app.freshness;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.sluice.lake.KafkaColumns;

/**
 * The header {@value #NAME} that carries a bronze record's {@link SourceTime} to every silver and gold record made
 * from it, epoch milliseconds as decimal text (readable by any consumer, and by the S3 sink without the app's code).
 */
public final class SourceTimeHeader {

    public static final String NAME = KafkaColumns.SOURCE_TS_HEADER;

    private SourceTimeHeader() {
    }

    /** A copy of {@code headers} with the source time set to {@code millis} (replacing an earlier one). */
    public static Headers stamp(Headers headers, long millis) {
        RecordHeaders copy = new RecordHeaders();
        if (headers != null) {
            for (Header header : headers) {
                if (!header.key().equals(NAME)) {
                    copy.add(header);
                }
            }
        }
        copy.add(NAME, Long.toString(millis).getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    /** The source time in {@code headers}; empty when there is none or it is not a number. */
    public static OptionalLong read(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(NAME);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
