package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice down} stops only a Sluice launcher: a pid file that outlived its launcher (a kill, a reboot) may
 * name a process that is now somebody else's, which must be left running.
 */
class SluiceDownScriptIT {

    private static final Path SCRIPT = Path.of("../../sluice").toAbsolutePath().normalize();

    @Test
    void aPidFileNamingAnotherProgramDoesNotStopThatProgram(@TempDir Path state) throws Exception {
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(state.resolve("sluice.pid"), Long.toString(stranger.pid()));
            Process down = new ProcessBuilder("bash", SCRIPT.toString(), "down", "--state-dir", state.toString())
                    .redirectErrorStream(true).start();
            String output = new String(down.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(down.waitFor(60, TimeUnit.SECONDS), "down finished");
            assertEquals(0, down.exitValue(), output);
            assertTrue(output.contains("names pid " + stranger.pid() + ", which is not a Sluice launcher"), output);
            assertTrue(output.contains("no platform running"), output);
            assertTrue(stranger.isAlive(), "the other program still runs");
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void aPidFileOfAProcessThatIsGoneIsNoPlatform(@TempDir Path state) throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(state.resolve("sluice.pid"), Long.toString(gone.pid()));
        Process down = new ProcessBuilder("bash", SCRIPT.toString(), "down", "--state-dir", state.toString())
                .redirectErrorStream(true).start();
        String output = new String(down.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(down.waitFor(60, TimeUnit.SECONDS), "down finished");
        assertEquals(0, down.exitValue(), output);
        assertTrue(output.contains("no platform running"), output);
    }
}
