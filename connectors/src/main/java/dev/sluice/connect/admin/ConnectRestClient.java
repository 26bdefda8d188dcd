package dev.sluice.connect.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small client of the Kafka Connect REST API (the worker's, not a Sluice one). Errors come back as
 * {@link ConnectRestException} carrying Connect's status code and message.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http;

    /** @param baseUrl the worker's REST URL, e.g. {@code http://127.0.0.1:8083} */
    public ConnectRestClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Creates the connector or replaces its configuration (idempotent). */
    public JsonNode putConfig(String connector, Map<String, String> config) {
        return send(HttpRequest.newBuilder(uri("/connectors/" + connector + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(config))));
    }

    /** The status document of a connector: its state and each task's. */
    public JsonNode status(String connector) {
        return send(HttpRequest.newBuilder(uri("/connectors/" + connector + "/status")).GET());
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

    /** The connector plugins the worker can load. */
    public JsonNode plugins() {
        return send(HttpRequest.newBuilder(uri("/connector-plugins")).GET());
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectRestException(503, "Kafka Connect at " + baseUrl + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectRestException(503, "interrupted while calling Kafka Connect");
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
