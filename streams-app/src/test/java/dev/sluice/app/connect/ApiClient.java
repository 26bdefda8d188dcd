package dev.sluice.app.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Plain HTTP client of the service under test that keeps every answer (status line, headers and body), so a test
 * can check that none of them ever carried a secret.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> transcript = new CopyOnWriteArrayList<>();

    ApiClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    HttpResponse<String> get(String path) {
        return send(builder(path, null).GET());
    }

    HttpResponse<String> post(String path, Object body) {
        return post(path, body, null);
    }

    HttpResponse<String> post(String path, Object body, String token) {
        return send(builder(path, token).POST(publisher(body)));
    }

    HttpResponse<String> put(String path, Object body) {
        return put(path, body, null);
    }

    HttpResponse<String> put(String path, Object body, String token) {
        return send(builder(path, token).PUT(publisher(body)));
    }

    HttpResponse<String> delete(String path) {
        return delete(path, null);
    }

    HttpResponse<String> delete(String path, String token) {
        return send(builder(path, token).DELETE());
    }

    /** Every answer so far: status, headers and body. */
    List<String> transcript() {
        return transcript;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher publisher(Object body) {
        if (body == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            transcript.add(response.statusCode() + " " + response.headers().map() + " " + response.body());
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
