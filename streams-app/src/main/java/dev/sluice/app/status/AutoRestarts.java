package dev.sluice.app.status;

import java.util.Optional;

import dev.sluice.app.connect.TaskRestarts;

/**
 * What the automatic restarter of connector tasks tells the status API: whether it runs here and what it did
 * about a failed task. The restarter reads the connectors through this package's {@link ConnectorsCall}, so the
 * status API knows it only by this interface, which keeps the two packages from depending on each other.
 */
public interface AutoRestarts {

    /** What this instance's restarter does. */
    PipelineStatus.AutoRestart view();

    /** The automatic restarts of a task, if it failed lately. */
    Optional<TaskRestarts> restarts(String connector, int task);
}
