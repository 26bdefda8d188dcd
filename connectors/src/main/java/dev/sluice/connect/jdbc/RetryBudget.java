package dev.sluice.connect.jdbc;

import java.sql.SQLException;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Counts consecutive failures to reach the database and decides between waiting and giving up: after
 * {@code attempts} failures in a row the task fails with the last error; before that it waits the backoff.
 */
public final class RetryBudget {

    private final int attempts;
    private final long backoffMs;
    private int failures;

    public RetryBudget(int attempts, long backoffMs) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
        this.backoffMs = backoffMs;
    }

    public void success() {
        failures = 0;
    }

    /**
     * Records a failure.
     *
     * @param what  what was attempted, for the message, e.g. "read table public.orders from jdbc:..."
     * @param error the error, with credentials already removed from its message
     * @return milliseconds to wait before the next attempt
     * @throws ConnectException when this was the last allowed attempt
     */
    public long failure(String what, SQLException error) {
        failures++;
        if (failures >= attempts) {
            throw new ConnectException("gave up after " + failures + " consecutive failed attempt(s) to " + what
                    + " (connection.attempts=" + attempts + "): SQLState " + error.getSQLState() + ": "
                    + error.getMessage(), error);
        }
        return backoffMs;
    }

    public int failures() {
        return failures;
    }

    public int attempts() {
        return attempts;
    }
}
