package dev.sluice.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.embedded.ChildJvm;
import dev.sluice.embedded.ChildJvmServer;
import dev.sluice.embedded.ComponentStartException;
import dev.sluice.embedded.Ports;

/**
 * streams-app in a JVM of its own, started from its Maven build output ({@code streams-app/target}), so that its
 * Micronaut and Kafka Streams class path stays apart from the broker's and Connect's.
 */
public final class StreamsAppProcess implements ChildJvmServer {

    private static final String COMPONENT = "streams-app";
    private static final String MAIN_CLASS = "dev.sluice.app.Application";
    /**
     * Ready means Kafka Streams is RUNNING, which after a crash includes wiping corrupted tasks and restoring their
     * stores from the changelogs: that took 50 s to over 90 s in LauncherCrashIT on a 2-core machine, and grows
     * with the state. Giving up stops the whole platform, so wait long.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * The client-grade JIT only (C1), as the S3 server of the platform runs: by {@code Startup completed} the app's
     * JIT had spent more time compiling (36 s of compiler threads) than the start took, competing with it for the
     * 2 cores the whole platform shares. Without C2 a start cost 11 CPU seconds instead of 22 and took half as long
     * (measured side by side on one loaded platform); the devstack's hundred or so records a second do not need
     * C2's code, while every start, and every restart after a crash, waits for the JIT.
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final ChildJvm jvm;
    private final String url;

    private StreamsAppProcess(ChildJvm jvm, String url) {
        this.jvm = jvm;
        this.url = url;
    }

    /**
     * Starts streams-app and waits until its health endpoint answers 200.
     *
     * @param environment the app's settings (see its application.yml); HTTP address and state directory are added
     */
    public static StreamsAppProcess start(Path home, Path stateDir, int port, Map<String, String> environment) {
        String url = "http://" + Ports.HOST + ":" + port;
        Map<String, String> env = new HashMap<>(environment);
        env.put("SLUICE_HTTP_HOST", Ports.HOST);
        env.put("SLUICE_HTTP_PORT", Integer.toString(port));
        env.put("SLUICE_STATE_DIR", stateDir.resolve("streams").toString());
        ChildJvm jvm = ChildJvm.start(COMPONENT, classpath(home), MAIN_CLASS,
                JVM_OPTIONS, List.of(), env, stateDir.resolve("streams-app.log"));
        jvm.awaitReady(START_TIMEOUT, () -> HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200);
        return new StreamsAppProcess(jvm, url);
    }

    public String url() {
        return url;
    }

    public long pid() {
        return jvm.pid();
    }

    @Override
    public ChildJvm jvm() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.close();
    }

    private static List<Path> classpath(Path home) {
        Path target = home.resolve("streams-app/target");
        Path classpathFile = target.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new ComponentStartException(COMPONENT, "not built: " + classpathFile
                    + " is missing; run ./mvnw package -DskipTests");
        }
        try {
            List<Path> entries = new ArrayList<>();
            entries.add(target.resolve("classes"));
            Arrays.stream(Files.readString(classpathFile).trim().split(java.io.File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(Path::of)
                    .forEach(entries::add);
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classpathFile, e);
        }
    }
}
