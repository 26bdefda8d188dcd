package dev.sluice.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sluice.app.testing.ApiCalls;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * Who may call the API, over real HTTP: the service refuses to start without a token unless run open; with an API
 * token and a read token, mutations need the API token and reads either; requests naming a host the service does
 * not go by (DNS rebinding) are refused before any of that.
 */
class ApiAccessIT {

    private static final String TOKEN = "api-access-it-write-token-0123456789";
    private static final String READ_TOKEN = "api-access-it-read-token-9876543210";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "kafka.enabled", false, "sluice.connect.url", "http://127.0.0.1:9",
                "sluice.api.token", TOKEN, "sluice.api.read-token", READ_TOKEN,
                "sluice.api.allowed-hosts", "sluice.example.org,*.svc.cluster.local"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withoutATokenTheServiceStartsOnlyWhenExplicitlyOpen() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, Map.of("micronaut.server.port", -1, "kafka.enabled", false,
                        "sluice.api.open", false)).close());
        String message = causes(refused);
        assertTrue(message.contains("SLUICE_API_TOKEN") && message.contains("SLUICE_API_OPEN=true"), message);

        RuntimeException readOnly = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, Map.of("micronaut.server.port", -1, "kafka.enabled", false,
                        "sluice.api.open", false, "sluice.api.read-token", READ_TOKEN)).close());
        assertTrue(causes(readOnly).contains("without an API token"), causes(readOnly));

        try (EmbeddedServer open = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "kafka.enabled", false, "sluice.api.open", true, "sluice.connect.url", "http://127.0.0.1:9"))) {
            // Past the filter: Connect (a closed port) answers, not the token check.
            assertEquals(503, ApiCalls.send("POST", open.getURL() + "/api/connectors/x/pause", null, TIMEOUT)
                    .statusCode());
        }
        try (EmbeddedServer both = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "kafka.enabled", false, "sluice.api.open", true, "sluice.api.token", TOKEN))) {
            assertEquals(401, ApiCalls.send("POST", both.getURL() + "/api/compaction/runs", null, TIMEOUT)
                    .statusCode(), "a token wins over the open flag");
        }
    }

    @Test
    void mutationsNeedTheApiTokenAndReadsEitherToken() {
        String templates = server.getURL() + "/api/connector-templates";
        assertEquals(401, ApiCalls.send("GET", templates, null, TIMEOUT).statusCode());
        assertEquals(401, ApiCalls.send("GET", templates, "wrong", TIMEOUT).statusCode());
        assertEquals(200, ApiCalls.send("GET", templates, READ_TOKEN, TIMEOUT).statusCode());
        assertEquals(200, ApiCalls.send("GET", templates, TOKEN, TIMEOUT).statusCode());

        String pause = server.getURL() + "/api/connectors/x/pause";
        HttpResponse<String> readTokenWrites = ApiCalls.send("POST", pause, READ_TOKEN, TIMEOUT);
        assertEquals(401, readTokenWrites.statusCode());
        assertTrue(readTokenWrites.body().contains("sluice.api.token"), readTokenWrites.body());
        assertFalse(readTokenWrites.body().contains(READ_TOKEN) || readTokenWrites.body().contains(TOKEN));
        assertEquals(401, ApiCalls.send("POST", pause, null, TIMEOUT).statusCode(),
                "a cross-site form or no-cors fetch carries no Authorization header");
        assertEquals(503, ApiCalls.send("POST", pause, TOKEN, TIMEOUT).statusCode(), "past the filter: Connect");

        assertEquals(200, ApiCalls.send("GET", server.getURL() + "/console/index.html", null, TIMEOUT)
                .statusCode(), "the console's static files hold no data and need no token");
    }

    @Test
    void requestsForHostsTheServiceDoesNotGoByAreRefused() throws IOException {
        int port = server.getPort();
        for (String host : new String[] {"rebind.attacker.example", "rebind.attacker.example:" + port,
                "127.0.0.1.attacker.example", "localhost.attacker.example", "svc.cluster.local.attacker.example"}) {
            String answer = rawGet(port, "/api/connector-templates", host, TOKEN);
            assertTrue(answer.startsWith("HTTP/1.1 403"), host + ": " + firstLine(answer));
            assertTrue(answer.contains("sluice.api.allowed-hosts"), answer);
            assertTrue(answer.contains("Content-Security-Policy"), "refusals carry the browser protections too");
            assertTrue(rawGet(port, "/console/index.html", host, null).startsWith("HTTP/1.1 403"), host);
        }
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
                "LOCALHOST", "sluice.example.org", "streams-app-0.streams-app.sluice.svc.cluster.local:8080",
                "10.1.2.3"}) {
            String answer = rawGet(port, "/api/connector-templates", host, TOKEN);
            assertTrue(answer.startsWith("HTTP/1.1 200"), host + ": " + firstLine(answer));
        }
    }

    @Test
    void anAllowlistEntryThatIsNoHostNameStopsTheStart() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                EmbeddedServer.class, Map.of("micronaut.server.port", -1, "kafka.enabled", false,
                        "sluice.api.token", TOKEN, "sluice.api.allowed-hosts", "foo*bar")).close());
        assertTrue(causes(refused).contains("sluice.api.allowed-hosts: 'foo*bar'"), causes(refused));
    }

    /** A GET with a chosen Host header, which java.net.http does not let a caller set. */
    private static String rawGet(int port, String path, String host, String token) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String firstLine(String answer) {
        int end = answer.indexOf('\r');
        return end < 0 ? answer : answer.substring(0, end);
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
