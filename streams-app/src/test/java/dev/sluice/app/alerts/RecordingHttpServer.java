package dev.sluice.app.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on the loopback that records every request it receives and answers a fixed status and body. */
final class RecordingHttpServer implements AutoCloseable {

    /** One received request. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    RecordingHttpServer(int status, String contentType, String answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (received) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        new String(body, java.nio.charset.StandardCharsets.UTF_8)));
                received.notifyAll();
            }
            byte[] out = answer.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Polls until {@code count} requests arrived or the deadline passes. */
    List<Received> awaitRequests(int count, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        synchronized (received) {
            while (received.size() < count && Instant.now().isBefore(deadline)) {
                received.wait(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
            }
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
