package dev.sluice.app.dlq;

import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.header.Headers;

/**
 * What a dead letter's {@link DeadLetterHeaders} say, read from its headers: the one parser of the header format
 * (the browse, redrive and status APIs all read dead letters through it). A header that is absent, or a number that
 * does not parse, is null: the headers come from a topic anyone with access may write.
 *
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
public record DeadLetterMetadata(String errorTime, String stage, String code, String rule, String errorClass,
        String sourceTopic, Integer sourcePartition, Long sourceOffset, String appVersion, String replayId,
        String replayOf) {

    /** The metadata as the headers hold it. */
    public static DeadLetterMetadata of(Headers headers) {
        return of(headers, UnaryOperator.identity());
    }

    /** The metadata with each header's text passed through {@code shown} first (to cut or clean it for display). */
    public static DeadLetterMetadata of(Headers headers, UnaryOperator<String> shown) {
        Function<String, String> text = key -> {
            String value = DeadLetterHeaders.text(headers, key);
            return value == null ? null : shown.apply(value);
        };
        return new DeadLetterMetadata(text.apply(DeadLetterHeaders.TIME), text.apply(DeadLetterHeaders.STAGE),
                text.apply(DeadLetterHeaders.ERROR_CODE), text.apply(DeadLetterHeaders.ERROR_RULE),
                text.apply(DeadLetterHeaders.ERROR_CLASS), text.apply(DeadLetterHeaders.SOURCE_TOPIC),
                number(text.apply(DeadLetterHeaders.SOURCE_PARTITION), Integer::valueOf),
                number(text.apply(DeadLetterHeaders.SOURCE_OFFSET), Long::valueOf),
                text.apply(DeadLetterHeaders.APP_VERSION), text.apply(DeadLetterHeaders.REPLAY_ID),
                text.apply(DeadLetterHeaders.REPLAY_OF));
    }

    private static <N> N number(String text, Function<String, N> parse) {
        try {
            return text == null ? null : parse.apply(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
