package dev.sluice.app.dlq.browse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.sluice.app.dlq.DeadLetterHeaders;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A dead letter by its headers: where it is, why it failed and where it came from; never its key, value or error
 * message (which may quote the value).
 *
 * @param topic           dead-letter topic
 * @param partition       its partition
 * @param offset          its offset
 * @param coordinates     {@code <topic>/<partition>/<offset>}, what the detail and replay endpoints take
 * @param timestamp       the record's timestamp (the original record's), ISO-8601
 * @param errorTime       when it was dead-lettered
 * @param stage           stage that failed
 * @param code            error code
 * @param rule            broken validation rule, if any
 * @param errorClass      class of the exception, if any
 * @param sourceTopic     topic the failing stage read it from
 * @param sourcePartition its partition
 * @param sourceOffset    its offset
 * @param appVersion      version of the app that dead-lettered it
 * @param replayId        for a redriven record that failed again: the redrive that produced it
 * @param replayOf        for a redriven record that failed again: the dead letter it replayed
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DeadLetterSummary")
public record DeadLetterSummary(String topic, int partition, long offset, String coordinates, String timestamp,
        @Nullable String errorTime, @Nullable String stage, @Nullable String code, @Nullable String rule,
        @Nullable String errorClass, @Nullable String sourceTopic, @Nullable Integer sourcePartition,
        @Nullable Long sourceOffset, @Nullable String appVersion, @Nullable String replayId,
        @Nullable String replayOf) {

    public static DeadLetterSummary of(ConsumerRecord<byte[], byte[]> record) {
        Headers h = record.headers();
        return new DeadLetterSummary(record.topic(), record.partition(), record.offset(),
                new DeadLetterCoordinates(record.topic(), record.partition(), record.offset()).toString(),
                Instant.ofEpochMilli(record.timestamp()).toString(), text(h, DeadLetterHeaders.TIME),
                text(h, DeadLetterHeaders.STAGE), text(h, DeadLetterHeaders.ERROR_CODE),
                text(h, DeadLetterHeaders.ERROR_RULE), text(h, DeadLetterHeaders.ERROR_CLASS),
                text(h, DeadLetterHeaders.SOURCE_TOPIC),
                number(h, DeadLetterHeaders.SOURCE_PARTITION, Integer::valueOf),
                number(h, DeadLetterHeaders.SOURCE_OFFSET, Long::valueOf), text(h, DeadLetterHeaders.APP_VERSION),
                text(h, DeadLetterHeaders.REPLAY_ID), text(h, DeadLetterHeaders.REPLAY_OF));
    }

    /** A header's last value as UTF-8, null when absent. */
    public static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <N> N number(Headers headers, String key, java.util.function.Function<String, N> parse) {
        String text = text(headers, key);
        try {
            return text == null ? null : parse.apply(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
