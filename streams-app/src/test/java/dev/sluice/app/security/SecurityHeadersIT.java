package dev.sluice.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.app.testing.ApiCalls;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over real HTTP, every kind of answer carries the browser protections: the console's page and script, the API
 * description, a refused mutation and an unknown path.
 */
class SecurityHeadersIT {

    private static final String TOKEN = "security-headers-it-token-0123456789";
    private static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "kafka.enabled", false, "sluice.api.token", TOKEN));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyAnswerForbidsFramingSniffingInlineScriptAndReferrers() {
        for (String[] call : List.of(new String[] {"GET", "/console/index.html", "200"},
                new String[] {"GET", "/console/console.js", "200"}, new String[] {"GET", "/swagger/sluice.yml", "200"},
                new String[] {"POST", "/api/compaction/runs", "401"}, new String[] {"GET", "/no/such/page", "404"})) {
            HttpResponse<String> response = ApiCalls.send(call[0], server.getURL() + call[1], null,
                    Duration.ofSeconds(30));
            String where = call[0] + " " + call[1] + " (" + response.statusCode() + ")";
            assertEquals(Integer.parseInt(call[2]), response.statusCode(), where);
            assertEquals(SecurityHeadersFilter.CONTENT_SECURITY_POLICY,
                    response.headers().firstValue("Content-Security-Policy").orElse(null), where);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), where);
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null), where);
            assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null), where);
        }
    }
}
