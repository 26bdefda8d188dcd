package dev.sluice.app.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record names a schema id the registry does not have (it answered 404): the record's fault, so it is
 * dead-lettered like any other undecodable record.
 */
public class UnknownSchemaIdException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final int id;

    public UnknownSchemaIdException(int id, String message) {
        super(message);
        this.id = id;
    }

    public int id() {
        return id;
    }

    /**
     * No stack trace: where the registry said 404 tells nothing, and a flood of records with a bogus id should cost
     * a map lookup each, not a stack walk (dead letters carry the class and message only).
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
