package dev.sluice.connect.admin;

/** Kafka Connect answered an error, or could not be reached (status 503, {@link #unreachable()} true). */
public class ConnectRestException extends RuntimeException {

    private final int status;
    private final boolean unreachable;

    public ConnectRestException(int status, String message) {
        this(status, message, false);
    }

    private ConnectRestException(int status, String message, boolean unreachable) {
        super(message);
        this.status = status;
        this.unreachable = unreachable;
    }

    /** The worker could not be reached or did not answer in time. */
    public static ConnectRestException unreachable(String message) {
        return new ConnectRestException(503, message, true);
    }

    /** The same failure with another message, e.g. one with secrets masked. */
    public ConnectRestException withMessage(String message) {
        return new ConnectRestException(status, message, unreachable);
    }

    /** Connect's HTTP status, or 503 when it could not be reached. */
    public int status() {
        return status;
    }

    /** Whether no answer came from Connect at all (as opposed to Connect answering with an error status). */
    public boolean unreachable() {
        return unreachable;
    }
}
