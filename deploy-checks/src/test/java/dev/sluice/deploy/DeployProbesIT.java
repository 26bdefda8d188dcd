package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * The health paths the deploy manifests probe are answered by the running app, not only named in its
 * configuration: streams-app starts for real against a Kafka broker, every probe path of the StatefulSet and of
 * the compose health check gets an answer other than 404 or 401 right away, and each turns 200 once the topology
 * runs (a readiness probe that never passed would keep every pod out of its Service).
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class DeployProbesIT {

    private static final Duration UP_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void everyProbePathOfTheManifestsIsServedAndTurnsHealthy(KafkaBroker kafka) throws Exception {
        Set<String> paths = probePaths();
        assertFalse(paths.isEmpty(), "the manifests probe no path");
        Path stateDir = Files.createTempDirectory("deploy-probes-it");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.streams.default.state.dir", stateDir.toString(),
                "kafka.streams.default.application.id", "deploy-probes-it",
                // The app seeds its dataset directory (default: ./datasets) with the built-ins: keep it out of the tree.
                "sluice.datasets.dir", stateDir.resolve("datasets").toString(),
                "micronaut.server.port", -1))) {
            Problems problems = new Problems();
            for (String path : paths) {
                int status = get(http, server, path);
                problems.check(status == 200 || status == 503, path, "answered " + status
                        + " (200 when up or 503 while a check is down expected)");
            }
            problems.assertNone("probe paths");
            for (String path : paths) {
                Await.until(path + " answers 200", UP_TIMEOUT, () -> get(http, server, path) == 200);
            }
        }
    }

    /** httpGet paths of the streams-app StatefulSet's probes and the compose health check's path. */
    private static Set<String> probePaths() {
        Set<String> paths = new TreeSet<>();
        for (Map<String, Object> document : Repository.yamlDocuments(
                Repository.path("k8s/base/streams-app/statefulset.yaml"))) {
            for (Map<String, Object> container : Tree.maps(document, "spec", "template", "spec", "containers")) {
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    String path = Tree.text(container, probe, "httpGet", "path");
                    if (path != null) {
                        paths.add(path);
                    }
                }
            }
        }
        List<Object> test = Tree.list(Repository.yaml(Repository.path("docker-compose.yml")), "services",
                "streams-app", "healthcheck", "test");
        if (test.size() > 2) {
            paths.add(String.valueOf(test.get(2)));
        }
        return paths;
    }

    private static int get(HttpClient http, EmbeddedServer server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
