package dev.sluice.connect.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedded.Await;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The parts of Kafka Connect's REST API the JDBC source tests use, over plain HTTP and JSON. */
final class ConnectRestClient {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;

    ConnectRestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Creates or updates a connector; fails the test unless Connect accepts the config. */
    void putConnector(String name, Map<String, String> config) {
        HttpResponse<String> response = send("PUT", "/connectors/" + name + "/config", config);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new AssertionError("PUT connector " + name + " -> " + response.statusCode() + ": " + response.body());
        }
    }

    /** Deletes a connector and waits until Connect no longer lists it. */
    void deleteConnector(String name) {
        HttpResponse<String> response = send("DELETE", "/connectors/" + name, null);
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw new AssertionError("DELETE connector " + name + " -> " + response.statusCode() + ": "
                    + response.body());
        }
        Await.until("connector " + name + " gone", Duration.ofSeconds(30),
                () -> send("GET", "/connectors/" + name, null).statusCode() == 404);
    }

    void restartTask(String name, int task) {
        HttpResponse<String> response = send("POST", "/connectors/" + name + "/tasks/" + task + "/restart", null);
        if (response.statusCode() != 204 && response.statusCode() != 200) {
            throw new AssertionError("restart task -> " + response.statusCode() + ": " + response.body());
        }
    }

    /** Status of the connector's task {@code task}: its state and, when FAILED, its trace. */
    JsonNode taskStatus(String name, int task) {
        HttpResponse<String> response = send("GET", "/connectors/" + name + "/tasks/" + task + "/status", null);
        if (response.statusCode() != 200) {
            return JSON.createObjectNode().put("state", "UNKNOWN(" + response.statusCode() + ")");
        }
        return parse(response.body());
    }

    void awaitTaskState(String name, int task, String state, Duration timeout) {
        Await.until("task " + name + "-" + task + " " + state, timeout,
                () -> state.equals(taskStatus(name, task).path("state").asText()));
    }

    /** PUT /connector-plugins/{class}/config/validate: Connect's answer as JSON. */
    JsonNode validate(String connectorClass, Map<String, String> config) {
        HttpResponse<String> response = send("PUT", "/connector-plugins/"
                + URLEncoder.encode(connectorClass, StandardCharsets.UTF_8) + "/config/validate", config);
        if (response.statusCode() != 200) {
            throw new AssertionError("validate -> " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** The raw body of a validate call, to check what Connect would show a user. */
    String validateRaw(String connectorClass, Map<String, String> config) {
        return send("PUT", "/connector-plugins/" + URLEncoder.encode(connectorClass, StandardCharsets.UTF_8)
                + "/config/validate", config).body();
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .method(method, publisher)
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
