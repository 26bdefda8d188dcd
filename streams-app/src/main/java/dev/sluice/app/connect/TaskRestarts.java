package dev.sluice.app.connect;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The automatic restarts of one failed connector task by this service.
 *
 * @param attempts    restarts made since the task failed (reset after it ran healthy for a while)
 * @param maxAttempts restarts allowed before giving up
 * @param lastRestart when the last restart was requested, ISO-8601
 * @param nextAttempt when the next restart is due if the task is still FAILED then, ISO-8601; null once given up
 * @param gaveUp      whether the attempts are used up: the task stays FAILED until restarted by hand
 */
@Serdeable
@Schema(name = "ConnectorTaskRestarts")
public record TaskRestarts(int attempts, int maxAttempts, @Nullable String lastRestart, @Nullable String nextAttempt,
        boolean gaveUp) {
}
