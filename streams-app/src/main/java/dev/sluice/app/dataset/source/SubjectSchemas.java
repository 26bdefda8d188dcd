package dev.sluice.app.dataset.source;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Whether a registry subject has a schema: the artifact of that id in the registry's default group (the Confluent
 * API's subjects are those artifacts), asked through its API v2.
 */
final class SubjectSchemas {

    private final String v2;
    private final Duration timeout;
    private final HttpClient http;

    SubjectSchemas(String apiV2Url, Duration timeout) {
        this.v2 = apiV2Url.endsWith("/") ? apiV2Url.substring(0, apiV2Url.length() - 1) : apiV2Url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * @throws IOException when the registry does not answer 200 or 404
     */
    boolean hasSchema(String subject) throws IOException {
        URI uri = URI.create(v2 + "/groups/default/artifacts/" + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/meta");
        HttpResponse<Void> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the registry", e);
        }
        if (response.statusCode() == 200 || response.statusCode() == 404) {
            return response.statusCode() == 200;
        }
        throw new IOException("the registry answered " + response.statusCode() + " for " + uri);
    }
}
