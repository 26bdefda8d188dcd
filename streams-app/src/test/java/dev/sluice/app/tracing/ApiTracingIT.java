package dev.sluice.app.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Over real HTTP, an {@code /api} request is a server span named by its route template (not its path), with its
 * status, continuing the caller's trace; requests outside {@code /api} are not traced.
 */
class ApiTracingIT {

    private static final String TOKEN = "api-tracing-it-token-0123456789";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private EmbeddedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        provider.close();
    }

    @Test
    void anApiRequestIsAServerSpanOfItsRouteInTheCallersTrace() throws Exception {
        server = ApplicationContext.builder()
                .properties(Map.of("micronaut.server.port", -1, "kafka.enabled", false, "sluice.api.token", TOKEN))
                .singletons(Tracing.with(OpenTelemetrySdk.builder().setTracerProvider(provider).build()))
                .run(EmbeddedServer.class);
        String caller = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                        URI.create(server.getURL() + "/api/connectors/orders-cdc/pause"))
                .header("traceparent", "00-" + caller + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), "no token: refused, and traced all the same");
        http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/console/index.html"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(1, spans.size(), "one span, none for the console: " + spans);
        SpanData span = spans.get(0);
        assertEquals("POST /api/connectors/{name}/pause", span.getName());
        assertEquals(SpanKind.SERVER, span.getKind());
        assertEquals("/api/connectors/{name}/pause", span.getAttributes().get(ApiTracingFilter.ROUTE));
        assertEquals("POST", span.getAttributes().get(ApiTracingFilter.METHOD));
        assertEquals(401L, span.getAttributes().get(ApiTracingFilter.STATUS));
        assertEquals(caller, span.getTraceId());
        assertEquals("00f067aa0ba902b7", span.getParentSpanId());
        assertTrue(span.getParentSpanContext().isRemote());
    }
}
