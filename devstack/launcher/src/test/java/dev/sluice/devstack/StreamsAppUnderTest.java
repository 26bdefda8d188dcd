package dev.sluice.devstack;

import java.io.IOException;
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
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.RegistryServer;

/** streams-app as a child JVM from its build, on the test's platform, for the end-to-end tests. */
final class StreamsAppUnderTest {

    static final Path HOME = Path.of("").toAbsolutePath().getParent().getParent();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private StreamsAppUnderTest() {
    }

    /**
     * Starts it with a short early-arrival wait (so that waiting orders settle quickly), its dataset directory under
     * {@code dir} and {@code extra} settings, and waits until its health answers 200.
     */
    static ChildJvm start(Path dir, int port, KafkaBroker kafka, RegistryServer registry, ConnectWorker connect,
            String token, Map<String, String> extra) throws IOException {
        Path target = HOME.resolve("streams-app/target");
        List<Path> classpath = new ArrayList<>();
        classpath.add(target.resolve("classes"));
        Arrays.stream(Files.readString(target.resolve("runtime-classpath.txt")).trim().split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).forEach(classpath::add);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SLUICE_HTTP_HOST", Ports.HOST);
        env.put("SLUICE_HTTP_PORT", Integer.toString(port));
        env.put("SLUICE_STATE_DIR", dir.resolve("state").toString());
        env.put("SLUICE_REGISTRY_URL", registry.registryV2Url());
        env.put("SLUICE_ENRICH_REFERENCE_WAIT", "3s");
        env.put("SLUICE_ENRICH_RETRY_INTERVAL", "500ms");
        env.put("SLUICE_API_TOKEN", token);
        env.put("SLUICE_CONNECT_URL", connect.restUrl());
        env.put("SLUICE_FRESHNESS_LAKE_INTERVAL", "1s");
        // Without it the app seeds (and keeps) its specifications in the working tree, devstack/launcher/datasets/.
        env.put("SLUICE_DATASETS_DIR", dir.resolve("datasets").toString());
        env.putAll(extra);
        ChildJvm jvm = ChildJvm.start("streams-app", classpath, "dev.sluice.app.Application",
                StreamsAppProcess.JVM_OPTIONS, List.of(), env, dir.resolve("streams-app.log"));
        HttpClient http = HttpClient.newHttpClient();
        jvm.awaitReady(START_TIMEOUT, () -> http.send(HttpRequest.newBuilder(URI.create("http://" + Ports.HOST + ":"
                + port + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200);
        return jvm;
    }
}
