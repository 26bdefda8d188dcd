package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.app.testing.ApiCalls;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * The app evaluating its rules on its own schedule: Kafka Connect is really unreachable (its URL is a closed port on
 * the loopback), the connect-unreachable rule fires, a real HTTP server receives the webhook, {@code /api/alerts}
 * shows the alert and {@code /prometheus} the reading the Prometheus rule watches.
 */
class AlertsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void unreachableConnectFiresToTheWebhookAndShowsInTheApi() throws Exception {
        try (RecordingHttpServer webhook = new RecordingHttpServer(204, "text/plain", "");
                EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.ofEntries(
                        Map.entry("micronaut.server.port", -1), Map.entry("kafka.enabled", false),
                        Map.entry("sluice.api.open", true),
                        Map.entry("sluice.connect.url", "http://127.0.0.1:" + closedPort()),
                        Map.entry("sluice.connect.slots.metrics-enabled", false),
                        Map.entry("sluice.alerts.enabled", "true"),
                        Map.entry("sluice.alerts.interval", "500ms"),
                        Map.entry("sluice.alerts.instance", "alerts-it"),
                        Map.entry("sluice.alerts.rules.connect-unreachable.for-duration", "1s"),
                        Map.entry("sluice.alerts.webhook.url", webhook.uri("/hook").toString())))) {

            List<RecordingHttpServer.Received> received = webhook.awaitRequests(1, Duration.ofSeconds(60));
            assertEquals(1, received.size(), "one notification for the one transition");
            JsonNode body = JSON.readTree(received.get(0).body());
            assertEquals("firing", body.get("status").asText());
            assertEquals("alerts-it", body.get("instance").asText());
            assertEquals("connect-unreachable", body.at("/alert/rule").asText());
            assertTrue(body.at("/alert/summary").asText().startsWith("Kafka Connect does not answer"),
                    body.toString());

            JsonNode alerts = ApiCalls.json(ApiCalls.send("GET", server.getURL() + "/api/alerts", null,
                    Duration.ofSeconds(30)));
            JsonNode active = alerts.get("active");
            assertEquals(1, active.size(), alerts.toString());
            assertEquals("connect-unreachable", active.get(0).get("rule").asText());
            assertEquals("FIRING", active.get(0).get("state").asText());
            assertEquals("FIRING", alerts.at("/recent/0/state").asText());

            HttpResponse<String> metrics = ApiCalls.send("GET", server.getURL() + "/prometheus", null,
                    Duration.ofSeconds(30));
            assertTrue(metrics.body().contains("sluice_connect_up 0.0"), "the reading Prometheus alerts on");
            assertEquals(1, webhook.received().size(), "still firing: not notified again");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
