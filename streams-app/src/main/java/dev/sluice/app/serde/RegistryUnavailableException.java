package dev.sluice.app.serde;

/**
 * The schema registry could not answer (connection refused, timeout, 5xx, an answer that is not the registry's):
 * an outage, not the record's fault. Processing must stop on it rather than dead-letter good records, see
 * {@link dev.sluice.app.dlq.Failures#isTransient(Throwable)}.
 */
public class RegistryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
