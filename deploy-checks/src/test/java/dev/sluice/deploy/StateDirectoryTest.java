package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Where Kafka Streams keeps the app's stores: exactly the directory {@code SLUICE_STATE_DIR} names (the volume of a
 * container or the devstack's state directory), else {@code sluice-state} under the working directory, never the
 * OS temp directory.
 */
class StateDirectoryTest {

    private final StreamsApp app = new StreamsApp();

    @Test
    void theVariableNamesTheStateDirectoryExactly() {
        assertEquals("/var/lib/sluice/state", app.stateDir(Map.of("SLUICE_STATE_DIR", "/var/lib/sluice/state")));
    }

    @Test
    void withoutTheVariableStateStaysUnderTheWorkingDirectory() {
        assertEquals("sluice-state", app.stateDir(Map.of()));
    }
}
