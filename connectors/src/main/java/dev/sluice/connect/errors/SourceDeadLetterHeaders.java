package dev.sluice.connect.errors;

/**
 * Headers of a record in {@code dlq.source}. The names are those streams-app's dead letters carry
 * ({@code dev.sluice.app.dlq.DeadLetterHeaders}), so that its dead-letter monitor and later tooling read both alike;
 * the source position, which is no Kafka offset, is in headers of its own. Values are UTF-8 text.
 */
public final class SourceDeadLetterHeaders {

    /** Why: {@value #CODE_SERIALIZATION_FAILED}, the record cannot be turned into bytes of its topic's format. */
    public static final String ERROR_CODE = "sluice.error.code";
    /** The converter's reason, control characters replaced, at most {@value #MAX_MESSAGE_CHARS} characters. */
    public static final String ERROR_MESSAGE = "sluice.error.message";
    /** Class of the exception. */
    public static final String ERROR_CLASS = "sluice.error.class";
    /** Always {@value #STAGE_SOURCE}. */
    public static final String STAGE = "sluice.error.stage";
    /** The topic the record was headed for, e.g. {@code bronze.pg.orders}. */
    public static final String SOURCE_TOPIC = "sluice.source.topic";
    /** Debezium's LSN of the change, when the source position has one. */
    public static final String SOURCE_OFFSET = "sluice.source.offset";
    /** The table (or custom query) the record was read from. */
    public static final String SOURCE_TABLE = "sluice.source.table";
    /** The connector's source position of the record as JSON (Debezium's lsn/txId, the JDBC source's offset). */
    public static final String SOURCE_POSITION = "sluice.source.position";
    /** When the record was dead-lettered, ISO-8601 UTC. */
    public static final String TIME = "sluice.error.time";

    public static final String STAGE_SOURCE = "source";
    public static final String CODE_SERIALIZATION_FAILED = "SERIALIZATION_FAILED";
    static final int MAX_MESSAGE_CHARS = 1000;

    private SourceDeadLetterHeaders() {
    }
}
