package dev.sluice.connect.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedded.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the integration tests wait for on a Connect worker, polled through {@link ConnectRestClient}: Connect applies
 * creates, deletes and restarts asynchronously, so a test looks for the state it needs instead of assuming it.
 */
public final class ConnectAwait {

    private static final int NOT_FOUND = 404;

    private ConnectAwait() {
    }

    /**
     * Deletes the connector, if it exists, and waits until Connect no longer knows it, so that a connector of the
     * same name created next starts afresh (from the committed offsets).
     */
    public static void deleteAndAwaitGone(ConnectRestClient rest, String connector, Duration timeout) {
        try {
            rest.delete(connector);
        } catch (ConnectRestException e) {
            if (e.status() != NOT_FOUND) {
                throw e;
            }
        }
        Await.until("connector " + connector + " gone", timeout, () -> {
            try {
                rest.info(connector);
                return false;
            } catch (ConnectRestException e) {
                return e.status() == NOT_FOUND;
            }
        });
    }

    /** Waits until task {@code task} of the connector is in {@code state} (a task not there yet is "not yet"). */
    public static void taskState(ConnectRestClient rest, String connector, int task, String state,
                                 Duration timeout) {
        Await.until("task " + connector + "-" + task + " " + state, timeout,
                () -> state.equals(rest.taskStatus(connector, task).path("state").asText()));
    }

    /**
     * Waits until the connector and exactly {@code tasks} tasks are RUNNING; fails at once when a task is FAILED,
     * with Connect's status document (and so the task's trace) in the message.
     */
    public static void running(ConnectRestClient rest, String connector, int tasks, Duration timeout) {
        Await.until(connector + " running with " + tasks + " tasks", timeout, () -> {
            JsonNode status = rest.status(connector);
            List<String> states = new ArrayList<>();
            status.path("tasks").forEach(t -> states.add(t.path("state").asText()));
            if (states.contains("FAILED")) {
                throw new AssertionError("task failed: " + status);
            }
            return "RUNNING".equals(status.path("connector").path("state").asText()) && states.size() == tasks
                    && states.stream().allMatch("RUNNING"::equals);
        });
    }
}
