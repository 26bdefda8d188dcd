package dev.sluice.app.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** WebhookChannel POSTing to a real HTTP server on the loopback, in both formats. */
class WebhookChannelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertView FIRING = new AlertView("connector-failed", Map.of("connector", "pg-orders",
            "task", "0"), AlertState.FIRING, "task 0 of connector pg-orders is FAILED", "2026-01-01T00:00:00Z",
            "2026-01-01T00:02:00Z", null);
    private static final AlertView RESOLVED = new AlertView("connector-failed", FIRING.labels(), AlertState.RESOLVED,
            FIRING.summary(), FIRING.since(), FIRING.firedAt(), "2026-01-01T00:10:00Z");

    @Test
    void postsGenericJsonForFiringAndResolved() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer(200, "text/plain", "ok")) {
            WebhookChannel channel = new WebhookChannel(server.uri("/hook"), "json", Duration.ofSeconds(5));
            channel.send(new Notification(FIRING, "app-0"));
            channel.send(new Notification(RESOLVED, "app-0"));

            List<RecordingHttpServer.Received> received = server.received();
            assertEquals(2, received.size());
            assertEquals("POST", received.get(0).method());
            assertEquals("/hook", received.get(0).path());
            assertEquals(List.of("application/json"), received.get(0).headers().get("Content-type"));
            JsonNode firing = JSON.readTree(received.get(0).body());
            assertEquals("firing", firing.get("status").asText());
            assertEquals("app-0", firing.get("instance").asText());
            assertEquals("connector-failed", firing.at("/alert/rule").asText());
            assertEquals("pg-orders", firing.at("/alert/labels/connector").asText());
            assertEquals("FIRING", firing.at("/alert/state").asText());
            assertEquals("2026-01-01T00:02:00Z", firing.at("/alert/firedAt").asText());
            assertEquals(true, firing.at("/alert/resolvedAt").isNull());
            JsonNode resolved = JSON.readTree(received.get(1).body());
            assertEquals("resolved", resolved.get("status").asText());
            assertEquals("RESOLVED", resolved.at("/alert/state").asText());
            assertEquals("2026-01-01T00:10:00Z", resolved.at("/alert/resolvedAt").asText());
        }
    }

    @Test
    void postsSlackTextForFiringAndResolved() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer(200, "text/plain", "ok")) {
            WebhookChannel channel = new WebhookChannel(server.uri("/services/T/B/x"), "slack",
                    Duration.ofSeconds(5));
            channel.send(new Notification(FIRING, "app-0"));
            channel.send(new Notification(RESOLVED, "app-0"));

            JsonNode firing = JSON.readTree(server.received().get(0).body());
            assertEquals(1, firing.size(), "only the text field");
            assertEquals("[FIRING] connector-failed {connector=pg-orders, task=0}: task 0 of connector pg-orders is "
                    + "FAILED (instance app-0)", firing.get("text").asText());
            assertEquals("[RESOLVED] connector-failed {connector=pg-orders, task=0}: task 0 of connector pg-orders "
                    + "is FAILED (instance app-0)", JSON.readTree(server.received().get(1).body()).get("text")
                            .asText());
        }
    }

    @Test
    void aReceiverErrorFailsTheSendWithoutNamingTheUrlPath() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer(500, "text/plain", "boom")) {
            WebhookChannel channel = new WebhookChannel(server.uri("/secret-path"), "json", Duration.ofSeconds(5));
            IOException e = assertThrows(IOException.class, () -> channel.send(new Notification(FIRING, "app-0")));
            assertEquals("webhook at 127.0.0.1 answered 500", e.getMessage());
        }
    }
}
