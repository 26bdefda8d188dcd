package dev.sluice.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.app.query.AppInstance;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.RuntimeBeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;

/**
 * The status answers that fan out (other instances, the Kafka admin API, Kafka Connect) on a running instance (real
 * broker and registry): concurrent and repeated requests within {@code sluice.status.cache-ttl} cause one
 * computation of each, counted at {@code /prometheus}; once the TTL has passed on the status clock (a clock this
 * test moves, so nothing here waits for time to pass) the next request computes again.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class StatusCacheIT {

    private static final Duration TTL = Duration.ofSeconds(1);
    private static final int CONCURRENT = 8;
    private static final List<String> CALLS = List.of("instances", "lag", "connectors");
    private static final PipelineTopics TOPICS = AppInstance.topics("status-cache-it");

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private static AppInstance app;

    @BeforeAll
    static void start(KafkaBroker kafka, RegistryServer registry) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, Object> settings = new HashMap<>(AppInstance.settings(TOPICS));
        settings.put("sluice.connect.url", "http://127.0.0.1:" + closed);
        settings.put("sluice.connect.request-timeout", "2s");
        settings.put("sluice.status.cache-ttl", TTL.toMillis() + "ms");
        app = AppInstance.start(kafka, registry, "status-cache-it", settings,
                RuntimeBeanDefinition.builder(Clock.class, () -> (Clock) CLOCK).replaces(Clock.class).build());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void concurrentStatusRequestsWithinTheTtlShareOneFanOutAndTheNextAfterItComputesAgain() throws Exception {
        assertSame(CLOCK, app.context().getBean(Clock.class), "the clock moved here");
        Map<String, Double> before = calls();

        List<Integer> answers = concurrently(CONCURRENT, () -> app.get("/api/status").statusCode());
        assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200), answers);
        assertEquals(200, app.get("/api/status/lag").statusCode());
        assertEquals(200, app.get("/api/status/instances").statusCode());
        assertEquals(delta(before, 1), calls(), CONCURRENT + " overviews, lag and instances within the TTL: one each");

        CLOCK.advance(TTL.minusMillis(1));
        assertEquals(200, app.get("/api/status").statusCode());
        assertEquals(delta(before, 1), calls(), "still within the TTL");

        CLOCK.advance(Duration.ofMillis(1));
        assertEquals(200, app.get("/api/status").statusCode());
        assertEquals(delta(before, 2), calls(), "the TTL has passed: asked again");
    }

    private static <T> List<T> concurrently(int callers, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Double> delta(Map<String, Double> before, int more) {
        Map<String, Double> expected = new HashMap<>();
        before.forEach((call, count) -> expected.put(call, count + more));
        return expected;
    }

    /** {@code sluice_status_calls_total} by call, as /prometheus exports it (0 before the first). */
    private static Map<String, Double> calls() {
        HttpResponse<String> metrics = app.get("/prometheus");
        assertEquals(200, metrics.statusCode());
        Map<String, Double> calls = new HashMap<>();
        CALLS.forEach(call -> calls.put(call, 0.0));
        Pattern line = Pattern.compile("^sluice_status_calls_total\\{[^}]*call=\"([a-z]+)\"[^}]*\\} (\\S+)$");
        metrics.body().lines().map(line::matcher).filter(Matcher::matches)
                .forEach(m -> calls.put(m.group(1), Double.parseDouble(m.group(2))));
        return calls;
    }
}
