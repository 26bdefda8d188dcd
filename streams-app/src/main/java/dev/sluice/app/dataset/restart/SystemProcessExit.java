package dev.sluice.app.dataset.restart;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/** {@link ProcessExit} by {@link System#exit}: the shutdown hooks close the application context and its streams. */
@Singleton
@Secondary
public class SystemProcessExit implements ProcessExit {

    @Override
    public void exit(int code) {
        // Not on the caller's thread: the shutdown hooks close the context, which may wait for that very thread.
        new Thread(() -> System.exit(code), "sluice-exit-for-restart").start();
    }
}
