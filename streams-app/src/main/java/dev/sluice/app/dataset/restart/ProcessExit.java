package dev.sluice.app.dataset.restart;

/**
 * Ends the process with an exit code. A bean of its own so that tests replace it and observe the exit path without
 * ending the test JVM.
 */
public interface ProcessExit {

    /** Ends the process with {@code code}; returns at once (the exit happens on another thread). */
    void exit(int code);
}
