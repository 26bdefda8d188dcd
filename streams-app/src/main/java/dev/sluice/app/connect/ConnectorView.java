package dev.sluice.app.connect;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A connector as the API shows it: its state and its tasks' states, with failures summarised (no stack traces),
 * and in the single-connector view its configuration with secrets masked.
 *
 * @param name connector name
 * @param type source or sink (unknown until the worker has started the connector)
 * @param connectorClass the connector plugin class
 * @param state RUNNING, PAUSED, STOPPED, FAILED, RESTARTING or UNASSIGNED
 * @param workerId the worker running the connector instance
 * @param error for a FAILED connector: the exception and its root cause, without stack trace
 * @param tasks the tasks with their states
 * @param config the configuration with secrets masked; only in the single-connector view
 */
@Serdeable
@Schema(name = "Connector")
public record ConnectorView(String name, @Nullable String type, @Nullable String connectorClass, String state,
        @Nullable String workerId, @Nullable String error, List<TaskView> tasks,
        @Nullable Map<String, String> config) {

    /** This connector with {@code restarts} of each task added (null for a task without any). */
    public ConnectorView withTaskRestarts(IntFunction<TaskRestarts> restarts) {
        return new ConnectorView(name, type, connectorClass, state, workerId, error, tasks.stream()
                .map(t -> new TaskView(t.id(), t.state(), t.workerId(), t.error(), restarts.apply(t.id()))).toList(),
                config);
    }

    /**
     * One task of a connector.
     *
     * @param id task number
     * @param state RUNNING, PAUSED, FAILED, RESTARTING or UNASSIGNED
     * @param workerId the worker running it
     * @param error for a FAILED task: the exception and its root cause, without stack trace
     * @param autoRestart in {@code /api/status}: this service's automatic restarts of the task since it failed;
     *                    null when it has not failed lately or the restarter is off
     */
    @Serdeable
    @Schema(name = "ConnectorTask")
    public record TaskView(int id, String state, @Nullable String workerId, @Nullable String error,
            @Nullable TaskRestarts autoRestart) {
    }
}
