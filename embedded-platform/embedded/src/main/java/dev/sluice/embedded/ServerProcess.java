package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A server that runs as an operating-system process of its own (a child JVM, or PostgreSQL's postmaster), so that
 * a supervisor can notice it die and a later start can recognise it as left over.
 */
public interface ServerProcess extends AutoCloseable {

    /** The server's process; its {@link ProcessHandle#onExit()} completes when the server dies. */
    ProcessHandle processHandle();

    /** Where the server writes its output: the first place to look when it dies. */
    Path logFile();

    /** The exit code, once the process has exited and when the launcher could learn it (children only). */
    default OptionalInt exitCode() {
        return OptionalInt.empty();
    }

    @Override
    void close();
}
