package dev.sluice.embedded;

import java.nio.file.Path;

/**
 * A server of the embedded platform did not come up. The message names the component and, where it has one,
 * the log file to read, so that the person at the terminal knows where to look.
 */
public class ComponentStartException extends RuntimeException {

    private final String component;

    public ComponentStartException(String component, String problem, Path logFile, Throwable cause) {
        super(component + ": " + problem + (logFile == null ? "" : " (log: " + logFile.toAbsolutePath() + ")"), cause);
        this.component = component;
    }

    public ComponentStartException(String component, String problem) {
        this(component, problem, null, null);
    }

    /** The component that failed, e.g. {@code kafka} or {@code postgres}. */
    public String component() {
        return component;
    }
}
