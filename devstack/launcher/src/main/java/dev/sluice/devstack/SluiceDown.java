package dev.sluice.devstack;

import java.nio.file.Path;
import java.util.List;

import dev.sluice.devstack.supervise.LeftoverProcesses;

/**
 * {@code ./sluice down} when no launcher runs on the state directory any more (it was killed, e.g. with
 * {@code kill -9}): stops what it left running — its recorded children and a PostgreSQL still serving the data
 * directory — as the next {@code ./sluice up} would. (A running launcher is stopped by the script with SIGTERM.)
 * Exit codes: 0, also when nothing was left; 2 for a usage error.
 */
public final class SluiceDown {

    private SluiceDown() {
    }

    public static void main(String[] args) {
        DevstackSettings settings = DevstackSettings.ofCommandLine(args);
        Path state = settings.stateDir();
        System.setProperty("sluice.log.dir", state.toString());
        List<String> stopped = new LeftoverProcesses(state.resolve("run"), state.resolve("postgres")).stopAll();
        if (stopped.isEmpty()) {
            System.out.println("sluice: no platform running on " + state);
        }
        stopped.forEach(process -> System.out.println("sluice: stopped " + process
                + ", left running by a platform that did not stop cleanly"));
    }
}
