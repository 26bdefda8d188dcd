package dev.sluice.app.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import dev.sluice.app.failure.ErrorCode;
import dev.sluice.app.failure.Stage;

/**
 * Names of the headers a dead-letter record carries in addition to the original record's own headers. Values are
 * UTF-8 strings; {@link DeadLetterMetadata} reads them. See docs/dlq.md.
 */
public final class DeadLetterHeaders {

    /** An {@link ErrorCode} name. */
    public static final String ERROR_CODE = "sluice.error.code";
    /** Human-readable reason, control characters replaced, at most {@value #MAX_MESSAGE_CHARS} characters. */
    public static final String ERROR_MESSAGE = "sluice.error.message";
    /** For {@link ErrorCode#VALIDATION_FAILED}: the first rule that failed, {@code <entity>.<field>.<check>}. */
    public static final String ERROR_RULE = "sluice.error.rule";
    /** Class of the exception, when an exception was the cause. */
    public static final String ERROR_CLASS = "sluice.error.class";
    /** A {@link Stage#id()}. */
    public static final String STAGE = "sluice.error.stage";
    /** Topic, partition and offset of the record as the failing stage read it. */
    public static final String SOURCE_TOPIC = "sluice.source.topic";
    public static final String SOURCE_PARTITION = "sluice.source.partition";
    public static final String SOURCE_OFFSET = "sluice.source.offset";
    /** When the record was dead-lettered, ISO-8601 UTC. */
    public static final String TIME = "sluice.error.time";
    /** Version of streams-app that dead-lettered it. */
    public static final String APP_VERSION = "sluice.app.version";

    /**
     * On a record re-produced into its source topic by a redrive: the id of the redrive run
     * ({@code POST /api/dead-letters/replays}), so that its outcome can be found in silver and the dead-letter topics.
     */
    public static final String REPLAY_ID = "sluice.replay.id";
    /**
     * On a redriven record: the dead letter it replays, {@code <dlq topic>/<partition>/<offset>}. Dedupe knows a
     * replay by it (see {@code DedupeProcessor}).
     */
    public static final String REPLAY_OF = "sluice.replay.of";

    /** The headers a dead letter adds to the original's, and a redrive's: what a redrive must not carry over. */
    public static final Set<String> ADDED = Set.of(ERROR_CODE, ERROR_MESSAGE, ERROR_RULE,
            ERROR_CLASS, STAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, TIME, APP_VERSION, REPLAY_ID,
            REPLAY_OF);

    static final int MAX_MESSAGE_CHARS = 1000;

    private DeadLetterHeaders() {
    }

    /** A header's last value as UTF-8, null when absent. */
    public static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
