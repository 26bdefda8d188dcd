package dev.sluice.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server running in a JVM of its own, with its output in a log file. Used for servers whose libraries clash
 * with Kafka Connect's (the S3 server, the registry) and for streams-app. The child exits by itself when this
 * JVM dies (see {@link ParentWatchdog}), and {@link #close()} stops it with SIGTERM, then SIGKILL.
 */
public final class ChildJvm implements ServerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String component;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String component, Process process, Path logFile) {
        this.component = component;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code mainClass} from {@code classpath} in a new JVM.
     *
     * @param component name used in messages and logs
     * @param jvmOptions options such as -Xmx and -D properties
     * @param environment extra environment variables for the child
     */
    public static ChildJvm start(String component, List<Path> classpath, String mainClass, List<String> jvmOptions,
            List<String> args, Map<String, String> environment, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        List<Path> fullClasspath = new ArrayList<>(classpath);
        fullClasspath.add(ownLocation());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, fullClasspath.stream().map(Path::toString).toList()));
        command.add(ParentWatchdog.class.getName());
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            LOG.debug("started {} as pid {}", component, process.pid());
            return new ChildJvm(component, process, logFile);
        } catch (IOException e) {
            throw new ComponentStartException(component, "could not start its JVM", logFile, e);
        }
    }

    /** The Main-Class of an executable jar. */
    public static String mainClassOf(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String main = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue("Main-Class");
            if (main == null) {
                throw new IllegalArgumentException(jar + " has no Main-Class in its manifest");
            }
            return main;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    /**
     * Waits until {@code ready} holds, failing fast with the log file named when the process exits or the
     * timeout passes.
     */
    public void awaitReady(Duration timeout, Callable<Boolean> ready) {
        try {
            Await.until(component + " ready", timeout, ready, process::isAlive);
        } catch (Await.AwaitTimeoutException e) {
            String problem = process.isAlive() ? "did not become ready within " + timeout
                    : "exited with code " + process.exitValue() + " before it was ready";
            close();
            throw new ComponentStartException(component, problem, logFile, e.getCause());
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not stop within {}; killing it", component, STOP_GRACE);
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path ownLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the sluice-embedded classes", e);
        }
    }
}
