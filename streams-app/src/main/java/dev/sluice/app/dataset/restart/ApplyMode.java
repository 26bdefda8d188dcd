package dev.sluice.app.dataset.restart;

/** What an instance does when the dataset directory no longer matches the topology it runs. */
public enum ApplyMode {
    /** Report {@code pending-restart} with the restart command; an operator restarts the instances. */
    REPORT,
    /** Close the streams cleanly and exit with {@link StreamsRestart#EXIT_CODE}, for the supervisor to restart it. */
    RESTART
}
