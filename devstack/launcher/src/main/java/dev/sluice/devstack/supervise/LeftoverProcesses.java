package dev.sluice.devstack.supervise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.devstack.terminal.Terminal;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.ServerProcess;

/**
 * The platform's child processes as recorded in the state directory ({@code run/<component>.pid}: pid and start
 * time), so that a start after a launcher that was killed ({@code kill -9}, OOM killer) finds what it left behind
 * and stops it before binding the same ports. A record only matches a live process with the same pid and start
 * time, so a recycled pid is never touched. PostgreSQL is recognised by its own {@code postmaster.pid}.
 */
public final class LeftoverProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverProcesses.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String SUFFIX = ".pid";

    private final Path runDir;
    private final Path postgresDir;

    /**
     * @param runDir where child records are kept
     * @param postgresDir the embedded PostgreSQL's directory (its data directory is {@code data} below it)
     */
    public LeftoverProcesses(Path runDir, Path postgresDir) {
        this.runDir = runDir;
        this.postgresDir = postgresDir;
    }

    /** Records a started child. */
    public void record(String component, ServerProcess process) {
        ProcessHandle handle = process.processHandle();
        String started = handle.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("");
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(component + SUFFIX), handle.pid() + " " + started + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + component + " in " + runDir, e);
        }
    }

    /**
     * Stops every recorded child that still runs and a PostgreSQL left on the data directory, then forgets the
     * records.
     *
     * @return one description per process stopped, e.g. {@code postgres (pid 4711)}
     */
    public List<String> stopAll() {
        List<String> stopped = new ArrayList<>();
        if (Files.isDirectory(runDir)) {
            try (DirectoryStream<Path> records = Files.newDirectoryStream(runDir, "*" + SUFFIX)) {
                for (Path record : records) {
                    String component = record.getFileName().toString();
                    component = component.substring(0, component.length() - SUFFIX.length());
                    Optional<ProcessHandle> live = liveProcess(Files.readString(record).trim());
                    if (live.isPresent()) {
                        stop(live.get());
                        stopped.add(component + " (pid " + live.get().pid() + ")");
                    }
                    Files.delete(record);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the child records in " + runDir, e);
            }
        }
        PostgresServer.stopLeftover(postgresDir).ifPresent(pid -> stopped.add("postgres (pid " + pid + ")"));
        stopped.forEach(process -> Terminal.LOG.warn(
                "stopped {} left running by a platform that did not stop cleanly", process));
        return stopped;
    }

    /** Forgets every record (after a clean stop). */
    public void clear() {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(runDir, "*" + SUFFIX)) {
            for (Path record : records) {
                Files.deleteIfExists(record);
            }
        } catch (IOException e) {
            LOG.warn("cannot clear {}: {}", runDir, e.toString());
        }
    }

    /** The process a record ({@code "<pid> <start epoch millis>"}) names, if it still runs. */
    private static Optional<ProcessHandle> liveProcess(String record) {
        String[] parts = record.split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(parts[0]);
            Instant started = Instant.ofEpochMilli(Long.parseLong(parts[1]));
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(started::equals).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
