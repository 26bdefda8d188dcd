package dev.sluice.connect.admin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small client of the Kafka Connect REST API (the worker's, not a Sluice one). Errors come back as
 * {@link ConnectRestException} carrying Connect's status code and message; a worker that cannot be reached or does
 * not answer in time is reported as status 503 with {@link ConnectRestException#unreachable()} set.
 *
 * <p>Connector names are URL-encoded into paths, so any name Connect accepts is addressed correctly.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Connect's message (DistributedHerder) for a request refused while its workers rebalance. */
    static final String REBALANCE_EXPECTED = "a rebalance is expected";

    private final String baseUrl;
    private final Duration requestTimeout;
    private final HttpClient http;

    /** @param baseUrl the worker's REST URL, e.g. {@code http://127.0.0.1:8083} */
    public ConnectRestClient(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUrl the worker's REST URL, e.g. {@code http://127.0.0.1:8083}
     * @param requestTimeout how long one request may take before the worker counts as unreachable
     */
    public ConnectRestClient(String baseUrl, Duration requestTimeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT.compareTo(requestTimeout) < 0 ? CONNECT_TIMEOUT : requestTimeout)
                .build();
    }

    /** The worker's REST URL this client talks to. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Creates the connector or replaces its configuration (idempotent). */
    public JsonNode putConfig(String connector, Map<String, String> config) {
        return send(HttpRequest.newBuilder(uri(connectorPath(connector) + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config))));
    }

    /**
     * Creates a connector; unlike {@link #putConfig} it fails with status 409 when one of that name exists.
     *
     * @return Connect's description of the new connector: name, config, tasks, type
     */
    public JsonNode create(String connector, Map<String, String> config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", connector);
        body.put("config", config);
        return send(HttpRequest.newBuilder(uri("/connectors"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /**
     * Validates {@code config} with the connector plugin {@code pluginClass} (Connect's
     * {@code PUT /connector-plugins/{class}/config/validate}); the answer lists every setting with its errors.
     */
    public JsonNode validate(String pluginClass, Map<String, String> config) {
        return send(HttpRequest.newBuilder(uri("/connector-plugins/" + segment(pluginClass) + "/config/validate"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config))));
    }

    /** The configuration as it was submitted: config-provider references are returned unresolved. */
    public JsonNode config(String connector) {
        return send(HttpRequest.newBuilder(uri(connectorPath(connector) + "/config")).GET());
    }

    /** Connect's description of a connector: name, config, tasks, type. */
    public JsonNode info(String connector) {
        return send(HttpRequest.newBuilder(uri(connectorPath(connector))).GET());
    }

    /** The status document of a connector: its state and each task's. */
    public JsonNode status(String connector) {
        return send(HttpRequest.newBuilder(uri(connectorPath(connector) + "/status")).GET());
    }

    /** Whether the connector and all of its tasks (at least one) are RUNNING. */
    public boolean isRunning(String connector) {
        JsonNode status = status(connector);
        JsonNode tasks = status.path("tasks");
        if (!"RUNNING".equals(status.path("connector").path("state").asText()) || tasks.isEmpty()) {
            return false;
        }
        for (JsonNode task : tasks) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The names of the connectors the cluster runs. */
    public JsonNode connectors() {
        return send(HttpRequest.newBuilder(uri("/connectors")).GET());
    }

    /**
     * Every connector with its status and info in one request: an object from connector name to
     * {@code {"status": ..., "info": ...}}.
     */
    public JsonNode connectorsExpanded() {
        return send(HttpRequest.newBuilder(uri("/connectors?expand=status&expand=info")).GET());
    }

    /** Pauses the connector and its tasks; Connect applies it asynchronously. */
    public void pause(String connector) {
        send(HttpRequest.newBuilder(uri(connectorPath(connector) + "/pause"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    /** Resumes a paused connector and its tasks; Connect applies it asynchronously. */
    public void resume(String connector) {
        send(HttpRequest.newBuilder(uri(connectorPath(connector) + "/resume"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Restarts the connector, and with {@code includeTasks} its tasks too; with {@code onlyFailed} only the
     * instances that are FAILED.
     *
     * @return the status after the restart was scheduled, or an empty object when Connect restarted only the
     *         connector instance synchronously (both flags false)
     */
    public JsonNode restart(String connector, boolean includeTasks, boolean onlyFailed) {
        return send(HttpRequest.newBuilder(uri(connectorPath(connector) + "/restart?includeTasks=" + includeTasks
                + "&onlyFailed=" + onlyFailed)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The status of one task of the connector: its state, worker and, when FAILED, the trace. */
    public JsonNode taskStatus(String connector, int task) {
        return send(HttpRequest.newBuilder(uri(taskPath(connector, task) + "/status")).GET());
    }

    /** Restarts one task of the connector, whatever its state; Connect applies it asynchronously. */
    public void restartTask(String connector, int task) {
        send(HttpRequest.newBuilder(uri(taskPath(connector, task) + "/restart"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Deletes the connector; its committed offsets stay in the worker's offsets topic. */
    public void delete(String connector) {
        send(HttpRequest.newBuilder(uri(connectorPath(connector))).DELETE());
    }

    /** The connector plugins the worker can load. */
    public JsonNode plugins() {
        return send(HttpRequest.newBuilder(uri("/connector-plugins")).GET());
    }

    /**
     * Sends the request; a 409 saying that a rebalance is expected is sent again, with growing pauses, until the
     * request timeout has passed since the first try. Connect answers so while its workers rebalance (just after a
     * worker started or restarted) without having applied the request, so sending it again is safe for every call,
     * and a caller could do nothing else. Any other 409 (a connector that exists) is the caller's.
     */
    private JsonNode send(HttpRequest.Builder request) {
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        long pauseMillis = 100;
        while (true) {
            try {
                return sendOnce(request);
            } catch (ConnectRestException e) {
                if (!rebalancing(e) || System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectRestException.unreachable("interrupted while calling Kafka Connect at " + baseUrl);
            }
            pauseMillis = Math.min(pauseMillis * 2, 2_000);
        }
    }

    private static boolean rebalancing(ConnectRestException e) {
        return e.status() == 409 && String.valueOf(e.getMessage()).contains(REBALANCE_EXPECTED);
    }

    private JsonNode sendOnce(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw ConnectRestException.unreachable("Kafka Connect at " + baseUrl + " did not answer within "
                    + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            throw ConnectRestException.unreachable("Kafka Connect at " + baseUrl + " is unreachable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ConnectRestException.unreachable("interrupted while calling Kafka Connect at " + baseUrl);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            String message = body.path("message").asText(response.body());
            throw new ConnectRestException(response.statusCode(), message);
        }
        return body;
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String connectorPath(String connector) {
        return "/connectors/" + segment(connector);
    }

    private static String taskPath(String connector, int task) {
        return connectorPath(connector) + "/tasks/" + task;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }
}
