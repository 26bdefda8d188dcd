package dev.sluice.app.dataset.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sluice.app.dataset.restart.ProcessExit;
import dev.sluice.app.dataset.restart.SystemProcessExit;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** The process exit of the API tests: records the exit code instead of ending the test JVM. */
@Singleton
@Replaces(SystemProcessExit.class)
@Requires(property = DatasetApiIT.ACTIONS, value = "true")
public class RecordingExit implements ProcessExit {

    final List<Integer> codes = new CopyOnWriteArrayList<>();

    @Override
    public void exit(int code) {
        codes.add(code);
    }
}
