package dev.sluice.connect.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * The client's answer to Connect's 409 "a rebalance is expected": sent again until it goes through, within the request
 * timeout; any other 409 is the caller's at once. Connect answers so only in the moments its workers rebalance, which
 * a real worker does not hold still for a test (DevstackLifecycleIT met one after a worker restart), so a real HTTP
 * server on the loopback answers here with Connect's status and body, in the order each test sets.
 */
class ConnectRestClientRetryTest {

    private static final String REBALANCE = "{\"error_code\":409,\"message\":\"Request cannot be completed because a"
            + " rebalance is expected\"}";
    private static final String EXISTS = "{\"error_code\":409,\"message\":\"Connector orders already exists\"}";

    private final Deque<Map.Entry<Integer, String>> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    private ConnectRestClient client(Duration timeout, List<Map.Entry<Integer, String>> script) throws IOException {
        answers.addAll(script);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Map.Entry<Integer, String> answer = answers.size() > 1 ? answers.poll() : answers.peek();
            byte[] body = answer.getValue().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.getKey(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new ConnectRestClient("http://127.0.0.1:" + server.getAddress().getPort(), timeout);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRequestRefusedDuringARebalanceIsSentAgainUntilItGoesThrough() throws IOException {
        ConnectRestClient client = client(Duration.ofSeconds(30), List.of(Map.entry(409, REBALANCE),
                Map.entry(409, REBALANCE), Map.entry(201, "{\"name\":\"orders\"}")));
        assertEquals("orders", client.putConfig("orders", Map.of("connector.class", "X")).path("name").asText());
        assertEquals(3, requests.get());
    }

    @Test
    void anotherConflictIsTheCallersAtOnce() throws IOException {
        ConnectRestClient client = client(Duration.ofSeconds(30), List.of(Map.entry(409, EXISTS)));
        ConnectRestException e = assertThrows(ConnectRestException.class,
                () -> client.putConfig("orders", Map.of("connector.class", "X")));
        assertEquals(409, e.status());
        assertEquals("Connector orders already exists", e.getMessage());
        assertEquals(1, requests.get());
    }

    @Test
    void aRebalanceThatOutlastsTheRequestTimeoutFailsWithConnectsAnswer() throws IOException {
        ConnectRestClient client = client(Duration.ofSeconds(1), List.of(Map.entry(409, REBALANCE)));
        ConnectRestException e = assertThrows(ConnectRestException.class,
                () -> client.putConfig("orders", Map.of("connector.class", "X")));
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("a rebalance is expected"), e.getMessage());
        assertTrue(requests.get() > 1, "sent again before giving up: " + requests.get());
    }
}
