package dev.sluice.app.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * The connector API when Kafka Connect cannot be reached (its URL points at a closed port) and with an API token
 * configured: reads answer 503 with Retry-After and a JSON problem, mutating requests need the bearer token.
 */
class ConnectorApiProtectionIT {

    private static final String TOKEN = "s3cr3t-api-token-for-the-test";

    private static EmbeddedServer server;
    private static ApiClient api;
    private static String closedUrl;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        closedUrl = "http://127.0.0.1:" + port;
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("sluice.connect.url", closedUrl);
        props.put("sluice.connect.retry-after", "7s");
        props.put("sluice.api.token", TOKEN);
        props.put("kafka.enabled", false);
        server = ApplicationContext.run(EmbeddedServer.class, props);
        api = new ApiClient(server.getURL().toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectUnreachableIsAnswered503WithRetryAfterAndNoStackTrace() {
        HttpResponse<String> response = api.get("/api/connectors");
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("7", response.headers().firstValue("Retry-After").orElse(null));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE));
        JsonNode problem = ApiClient.json(response);
        assertEquals(503, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().contains(closedUrl), problem.toString());
        assertFalse(response.body().contains("\tat ") || response.body().contains("Exception:"), response.body());

        HttpResponse<String> one = api.get("/api/connectors/shop-cdc");
        assertEquals(503, one.statusCode(), one.body());
    }

    @Test
    void readsThatDoNotNeedConnectStillWork() {
        assertEquals(200, api.get("/api/connector-templates").statusCode());
        assertEquals(200, api.get("/swagger/sluice.yml").statusCode());
    }

    @Test
    void mutatingRequestsNeedTheBearerToken() {
        Map<String, Object> body = Map.of("name", "x", "template", "postgres-cdc",
                "parameters", Map.of("database.password", "${env:PG_PASSWORD}", "registry.url", "http://r"));

        HttpResponse<String> none = api.post("/api/connectors", body);
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, ApiClient.json(none).path("status").asInt());
        assertFalse(none.body().contains(TOKEN));

        assertEquals(401, api.post("/api/connectors", body, "wrong").statusCode());
        assertEquals(401, api.post("/api/connectors", body, TOKEN + "x").statusCode());
        assertEquals(401, api.delete("/api/connectors/x").statusCode());
        assertEquals(401, api.put("/api/connectors/x", body, "").statusCode());
        assertEquals(401, api.post("/api/connectors/x/pause", null).statusCode());

        // With the token the request passes the filter and reaches Connect, which is down here.
        assertEquals(503, api.post("/api/connectors", body, TOKEN).statusCode());
        assertEquals(503, api.delete("/api/connectors/x", TOKEN).statusCode());
        assertEquals(503, api.get("/api/connectors").statusCode(), "reads need no token");
    }
}
