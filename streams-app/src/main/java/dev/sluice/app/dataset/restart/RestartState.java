package dev.sluice.app.dataset.restart;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Whether this instance runs the topology of the dataset directory as it is now.
 *
 * @param state          {@code running} (the topology matches the directory), {@code pending-restart} (the
 *                       directory changed since the topology was built: restart to apply) or {@code restarting}
 *                       ({@code sluice.datasets.apply=restart}: this instance is closing to restart)
 * @param apply          {@code report} or {@code restart}, from {@code sluice.datasets.apply}
 * @param restartCommand the command that applies a pending change; null while running
 * @param running        fingerprint of the specifications the running topology was built from
 * @param directory      fingerprint of the directory as last read; null when it could not be read
 * @param error          why the directory could not be read
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "DatasetRestartState")
public record RestartState(String state, String apply, @Nullable String restartCommand, String running,
        @Nullable String directory, @Nullable String error) {

    public static final String RUNNING = "running";
    public static final String PENDING_RESTART = "pending-restart";
    public static final String RESTARTING = "restarting";

    /** Whether the running topology lags behind the directory. */
    public boolean pending() {
        return !RUNNING.equals(state);
    }
}
