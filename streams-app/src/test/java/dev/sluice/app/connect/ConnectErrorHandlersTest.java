package dev.sluice.app.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.connect.admin.ConnectRestException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

/**
 * How failures become answers. Connect answering 5xx cannot be provoked reliably from a real worker, so the
 * mapping itself is checked here; the unreachable case is also covered end to end by ConnectorApiProtectionIT.
 */
class ConnectErrorHandlersTest {

    private final HttpRequest<?> request = HttpRequest.GET("/api/connectors");
    private final ConnectErrorHandlers handlers;

    ConnectErrorHandlersTest() {
        ConnectConfiguration configuration = new ConnectConfiguration();
        configuration.setRetryAfter(Duration.ofSeconds(15));
        handlers = new ConnectErrorHandlers(configuration);
    }

    @Test
    void connectUnreachableIs503WithRetryAfter() {
        HttpResponse<Problem> response = handlers.handle(request,
                ConnectRestException.unreachable("Kafka Connect at http://c:8083 is unreachable: refused"));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, response.getStatus());
        assertEquals("15", response.getHeaders().get("Retry-After"));
        assertTrue(response.body().detail().contains("unreachable"));
    }

    @Test
    void connectServerErrorIs502WithConnectsMessage() {
        HttpResponse<Problem> response = handlers.handle(request, new ConnectRestException(500,
                "Request timed out"));
        assertEquals(HttpStatus.BAD_GATEWAY, response.getStatus());
        assertEquals("Kafka Connect answered 500: Request timed out", response.body().detail());
        assertNull(response.getHeaders().get("Retry-After"));
    }

    @Test
    void connectClientErrorIsPassedThrough() {
        HttpResponse<Problem> response = handlers.handle(request, new ConnectRestException(404,
                "Connector shop-cdc not found"));
        assertEquals(HttpStatus.NOT_FOUND, response.getStatus());
        assertEquals("Connector shop-cdc not found", response.body().detail());
    }

    @Test
    void apiExceptionKeepsItsFieldErrors() {
        HttpResponse<Problem> response = handlers.handle(request, ApiException.invalidField("snapshot.mode",
                "Value must be one of initial, no_data"));
        assertEquals(HttpStatus.BAD_REQUEST, response.getStatus());
        assertEquals(List.of(new Problem.FieldError("snapshot.mode", List.of("Value must be one of initial, no_data"))),
                response.body().errors());
    }

    @Test
    void anythingElseIs500WithoutItsMessage() {
        HttpResponse<Problem> response = handlers.handle(request, new IllegalStateException("internal detail"));
        assertEquals(HttpStatus.INTERNAL_SERVER_ERROR, response.getStatus());
        assertTrue(!response.body().detail().contains("internal detail"));
    }
}
