package dev.sluice.app.dlq;

/**
 * Names of the headers a dead-letter record carries in addition to the original record's own headers. Values are
 * UTF-8 strings. See docs/dlq.md.
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

    static final int MAX_MESSAGE_CHARS = 1000;

    private DeadLetterHeaders() {
    }
}
