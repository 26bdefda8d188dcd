package dev.sluice.app.failure;

/**
 * Why a record went to a dead-letter topic; the value of the
 * {@value dev.sluice.app.dlq.DeadLetterHeaders#ERROR_CODE} header.
 */
public enum ErrorCode {
    /** The key or value cannot be decoded (bad framing, unknown schema id, corrupt Avro, invalid UTF-8). */
    DESERIALIZATION_FAILED,
    /** A validation rule failed; header {@value dev.sluice.app.dlq.DeadLetterHeaders#ERROR_RULE} names it. */
    VALIDATION_FAILED,
    /** The same event or change was seen before within the deduplication window. */
    DUPLICATE,
    /** The event's window closed (window end plus grace passed) before it arrived. */
    LATE_EVENT,
    /** Processing threw an unexpected exception. */
    PROCESSING_FAILED,
    /** An output record could not be serialized. */
    SERIALIZATION_FAILED
}
