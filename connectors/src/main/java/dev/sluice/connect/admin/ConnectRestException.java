package dev.sluice.connect.admin;

/** Kafka Connect answered an error, or could not be reached (status 503). */
public class ConnectRestException extends RuntimeException {

    private final int status;

    public ConnectRestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** Connect's HTTP status, or 503 when it could not be reached. */
    public int status() {
        return status;
    }
}
