package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.OptionalInt;

/** A server that runs in a {@link ChildJvm}: its process, log file and exit code are the child JVM's. */
public interface ChildJvmServer extends ServerProcess {

    /** The JVM the server runs in. */
    ChildJvm jvm();

    @Override
    default ProcessHandle processHandle() {
        return jvm().processHandle();
    }

    @Override
    default Path logFile() {
        return jvm().logFile();
    }

    @Override
    default OptionalInt exitCode() {
        return jvm().exitCode();
    }
}
