package dev.sluice.bench.query;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * Latency of interactive queries under concurrent load, local against routed, in the same run: two streams-app
 * instances (one application, in this JVM, on 127.0.0.1) hold the gold stores between them; every request goes to
 * instance A, asking for customers whose totals A holds (read from its own store) or B holds (A forwards the request
 * to B and passes the answer on), and for key-range pages, which A answers by asking both. Rounds of each kind
 * alternate after a warm-up; each prints p50, p99 and requests per second. Not a test: run it by hand
 * ({@code -Dbench.requests=N -Dbench.threads=T}, bounded to 200,000 and 16).
 */
public final class QueryBench {

    private static final Logger LOG = LoggerFactory.getLogger(QueryBench.class);
    private static final String APPLICATION_ID = "sluice-query-bench";
    private static final int CUSTOMERS = 2_000;
    private static final int PRODUCTS = 200;
    private static final int ORDERS = 10_000;
    private static final int USERS = 500;
    private static final int ROUNDS = 3;
    private static final Pattern ORDER_COUNT = Pattern.compile("\"orderCount\":(\\d+)");

    private QueryBench() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Math.min(200_000, Math.max(1_000, Integer.getInteger("bench.requests", 20_000)));
        int threads = Math.min(16, Math.max(1, Integer.getInteger("bench.threads", 8)));
        Path dir = Files.createTempDirectory("sluice-bench-query-");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0, 0);
                RegistryServer registry = RegistryServer.start(dir.resolve("registry"), 0);
                EmbeddedServer a = instance(kafka, registry, dir.resolve("a"));
                EmbeddedServer b = instance(kafka, registry, dir.resolve("b"))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = a.getURL().toString();
            GoldInput.produce(kafka, registry.url(), new PipelineTopics(), CUSTOMERS, PRODUCTS, ORDERS, USERS);
            awaitGold(http, base);
            Map<Boolean, List<String>> byOwner = customersByOwner(http, base, authority(b));
            List<String> local = byOwner.get(false);
            List<String> routed = byOwner.get(true);
            List<String> pages = List.of("/api/stores/customer-totals?limit=100",
                    "/api/stores/customer-totals?limit=100&keyFrom=500", "/api/stores/customer-totals?limit=100"
                            + "&keyFrom=1500");
            LOG.info("bench ready localKeys={} routedKeys={} requests={} threads={}", local.size(), routed.size(),
                    requests, threads);

            run(http, base, local, requests / 2, threads);
            run(http, base, routed, requests / 2, threads);
            run(http, base, pages, requests / 10, threads);
            Map<String, List<Result>> results = new HashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                results.computeIfAbsent("local", k -> new ArrayList<>()).add(run(http, base, local, requests, threads));
                results.computeIfAbsent("routed", k -> new ArrayList<>()).add(run(http, base, routed, requests,
                        threads));
                results.computeIfAbsent("fan-out", k -> new ArrayList<>()).add(run(http, base, pages,
                        requests / 5, threads));
            }
            System.out.printf("%nSluice query benchmark: 2 instances, %d threads, %d requests per round, %d rounds "
                    + "(%d cores, load average %.1f)%n", threads, requests, ROUNDS,
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Result localAll = Result.merge(results.get("local"));
            Result routedAll = Result.merge(results.get("routed"));
            Result fanOut = Result.merge(results.get("fan-out"));
            print("customer by key, held by the instance asked", localAll);
            print("customer by key, routed to the other instance", routedAll);
            print("customer-totals page of 100, both instances", fanOut);
            System.out.printf("  ratio routed / local: p50 %.2f, p99 %.2f, throughput %.2f%n",
                    routedAll.percentile(50) / localAll.percentile(50), routedAll.percentile(99)
                            / localAll.percentile(99), routedAll.throughput() / localAll.throughput());
        }
    }

    private static void print(String what, Result result) {
        System.out.printf("  %-48s p50 %7.2f ms  p99 %7.2f ms  %8.0f req/s  (%d requests, %d errors)%n", what,
                result.percentile(50), result.percentile(99), result.throughput(), result.latencies().length,
                result.errors());
    }

    /** {@code requests} GETs of {@code paths} (chosen at random, seeded) from {@code threads} threads. */
    private static Result run(HttpClient http, String base, List<String> paths, int requests, int threads)
            throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + paths.get(random.nextInt(
                                paths.size())))).timeout(Duration.ofSeconds(10)).GET().build();
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - sent;
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
        return new Result(latencies, System.nanoTime() - start, errors.get());
    }

    /** Latencies of one or more rounds, with their wall time and failed requests. */
    private record Result(long[] latencies, long nanos, int errors) {

        static Result merge(List<Result> rounds) {
            long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
            return new Result(all, rounds.stream().mapToLong(Result::nanos).sum(),
                    rounds.stream().mapToInt(Result::errors).sum());
        }

        double percentile(int p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)] / 1e6;
        }

        double throughput() {
            return latencies.length / (nanos / 1e9);
        }
    }

    /** Customers by whether instance B holds them, as instance A reports who served each. */
    private static Map<Boolean, List<String>> customersByOwner(HttpClient http, String base, String b)
            throws Exception {
        Map<Boolean, List<String>> byOwner = new HashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
        for (int id = 1; id <= CUSTOMERS; id++) {
            String path = "/api/stores/customer-totals/" + id;
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String servedBy = response.headers().firstValue("X-Sluice-Served-By").orElse("");
            byOwner.get(servedBy.equals(b)).add(path);
        }
        if (byOwner.get(true).isEmpty() || byOwner.get(false).isEmpty()) {
            throw new IllegalStateException("one instance holds every customer: " + byOwner.get(true).size()
                    + " routed, " + byOwner.get(false).size() + " local");
        }
        return byOwner;
    }

    /** Waits until customer totals count every order (with a deadline). */
    private static void awaitGold(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            long orders = 0;
            String cursor = null;
            boolean readable = true;
            do {
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/stores/customer-totals?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (page.statusCode() != 200) {
                    readable = false;
                    break;
                }
                Matcher counts = ORDER_COUNT.matcher(page.body());
                while (counts.find()) {
                    orders += Long.parseLong(counts.group(1));
                }
                Matcher next = Pattern.compile("\"next\":\"([^\"]+)\"").matcher(page.body());
                cursor = next.find() ? next.group(1) : null;
            } while (cursor != null);
            if (readable && orders == ORDERS) {
                return;
            }
            LOG.info("waiting for gold orders={}", orders);
            Thread.sleep(1000);
        }
        throw new IllegalStateException("gold did not count every order within 5 minutes");
    }

    private static EmbeddedServer instance(KafkaBroker kafka, RegistryServer registry, Path state) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        properties.put("kafka.streams.default.state.dir", state.toString());
        properties.put("kafka.streams.default.application.id", APPLICATION_ID);
        properties.put("kafka.streams.default.application.server", "127.0.0.1:" + port);
        properties.put("sluice.registry.url", registry.url());
        properties.put("micronaut.server.port", port);
        // The bench only reads, on 127.0.0.1, from instances it starts and stops itself.
        properties.put("sluice.api.open", true);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health/readiness")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance on port " + port + " not ready");
            }
            Thread.sleep(200);
        }
        return server;
    }

    private static String authority(EmbeddedServer server) {
        return "127.0.0.1:" + server.getPort();
    }
}
