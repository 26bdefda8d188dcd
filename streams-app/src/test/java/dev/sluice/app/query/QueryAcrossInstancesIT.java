package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.RegistryServer;

/**
 * Two instances of streams-app (same application id, each its own port, state directory and application.server)
 * on the real broker and registry, with a standby replica of every store: each owns part of every gold store, yet
 * every key of every store is answered alike by either one (routed to its owner), key-range pages merge both
 * instances' partitions, and gold adds up to exactly what was produced. Then one instance stops: while the group
 * rebalances an answer is either right (possibly from the standby replica) or 503 with Retry-After, and once it is
 * done the survivor answers every key.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class QueryAcrossInstancesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int CUSTOMERS = 40;
    private static final int PRODUCTS = 20;
    private static final int ORDERS = 150;
    private static final int USERS = 24;

    @Test
    void everyKeyIsAnsweredByEitherInstanceAndByTheSurvivorAfterARebalance(KafkaBroker kafka,
            RegistryServer registry) throws Exception {
        PipelineTopics topics = AppInstance.topics("query-it");
        Map<String, Object> settings = new java.util.HashMap<>(AppInstance.settings(topics));
        settings.put("kafka.streams.default.num.standby.replicas", "1");
        try (AppInstance a = AppInstance.start(kafka, registry, "query-it", settings);
                AppInstance b = AppInstance.start(kafka, registry, "query-it", settings)) {
            Await.until("both instances hold partitions of every gold store", TIMEOUT,
                    () -> ownsPartitions(a) && ownsPartitions(b));
            Instant base = Instant.now().minus(3, ChronoUnit.MINUTES);
            GoldData.Expected expected = GoldData.produce(kafka, registry.url(), topics, CUSTOMERS, PRODUCTS, ORDERS,
                    USERS, base);
            Await.until("gold holds every produced record", TIMEOUT, () -> complete(a, expected));

            Map<String, JsonNode> fromA = answers(a, expected);
            Map<String, JsonNode> fromB = answers(b, expected);
            assertEquals(fromA.keySet(), fromB.keySet());
            for (String path : fromA.keySet()) {
                assertEquals(fromA.get(path), fromB.get(path), path + " answered alike by both instances");
            }
            checkAgainstExpected(fromA, expected);
            assertTrue(servedBy(a, expected).contains(b.authority()), "a routed some keys to b");
            assertTrue(servedBy(b, expected).contains(a.authority()), "b routed some keys to a");

            for (String store : List.of("customer-totals", "product-revenue-hourly", "region-revenue-daily",
                    "user-sessions")) {
                List<JsonNode> pagedA = allPages(a, "/api/stores/" + store, 7);
                List<JsonNode> pagedB = allPages(b, "/api/stores/" + store, 7);
                assertEquals(pagedA, pagedB, store + " paged alike by both instances");
                assertEquals(keyCount(store, expected), distinctKeys(store, pagedA), store + " keys in pages");
            }
            String hour = firstHour(a);
            JsonNode topA = a.json("/api/stores/product-revenue-hourly/top?n=5&hour=" + encode(hour));
            assertEquals(topA, b.json("/api/stores/product-revenue-hourly/top?n=5&hour=" + encode(hour)));
            assertEquals(expectedTop(a, hour, 5), names(topA.get("products")), "top 5 of " + hour);

            JsonNode instances = a.json("/api/status/instances");
            assertEquals(2, instances.size(), "each instance as it reports itself: " + instances);
            Set<Integer> customerPartitions = new TreeSet<>();
            for (JsonNode instance : instances) {
                assertEquals("RUNNING", instance.get("state").asText(), instance.toString());
                instance.get("stores").get("customer-totals").get("active")
                        .forEach(partition -> customerPartitions.add(partition.asInt()));
            }
            assertEquals(Set.of(0, 1, 2), customerPartitions, "every partition served by one of them");

            b.close();
            List<String> unavailable = new ArrayList<>();
            List<String> stale = new ArrayList<>();
            Await.until("the survivor answers every key after the rebalance", TIMEOUT, () -> {
                boolean all = true;
                for (String path : fromA.keySet()) {
                    HttpResponse<String> answer = a.get(path);
                    if (answer.statusCode() == 200) {
                        all &= fromA.get(path).equals(AppInstance.JSON.readTree(answer.body()));
                        answer.headers().firstValue(Forwarding.STALE).ifPresent(v -> stale.add(path));
                    } else {
                        assertEquals(503, answer.statusCode(), path + ": " + answer.body());
                        assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "Retry-After on 503");
                        assertTrue(answer.headers().firstValue("Content-Type").orElse("")
                                .startsWith("application/problem+json"), "503 is a problem");
                        unavailable.add(path);
                        all = false;
                    }
                }
                return all && allPages(a, "/api/stores/customer-totals", 50).size() == CUSTOMERS;
            });
            System.out.printf("while the group rebalanced: %d answers 503, %d answered by a standby replica%n",
                    unavailable.size(), stale.size());
            assertFalse(servedBy(a, expected).contains(b.authority()), "nothing served by the stopped instance");
        }
    }

    /** Every key query of every store, by path. */
    private static Map<String, JsonNode> answers(AppInstance instance, GoldData.Expected expected) {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        for (String path : keyPaths(expected)) {
            answers.put(path, instance.json(path));
        }
        return answers;
    }

    private static List<String> keyPaths(GoldData.Expected expected) {
        List<String> paths = new ArrayList<>();
        expected.customerOrders.keySet().forEach(id -> paths.add("/api/stores/customer-totals/" + id));
        expected.productLines.keySet().forEach(id -> paths.add("/api/stores/product-revenue-hourly/" + id));
        expected.regionOrders.keySet().forEach(r -> paths.add("/api/stores/region-revenue-daily/" + r));
        expected.userEvents.keySet().forEach(u -> paths.add("/api/stores/user-sessions/" + u));
        return paths;
    }

    private static Set<String> servedBy(AppInstance instance, GoldData.Expected expected) {
        Set<String> by = new TreeSet<>();
        for (String path : keyPaths(expected)) {
            instance.get(path).headers().firstValue(Forwarding.SERVED_BY).ifPresent(by::add);
        }
        return by;
    }

    private static void checkAgainstExpected(Map<String, JsonNode> answers, GoldData.Expected expected) {
        expected.customerOrders.forEach((id, orders) -> {
            JsonNode totals = answers.get("/api/stores/customer-totals/" + id);
            assertEquals(orders.longValue(), totals.get("orderCount").asLong(), "orders of customer " + id);
            assertEquals(expected.customerRevenue.get(id).toPlainString(), totals.get("revenue").asText());
        });
        expected.productLines.forEach((id, lines) -> {
            JsonNode revenue = answers.get("/api/stores/product-revenue-hourly/" + id);
            assertEquals(lines.longValue(), revenue.get("lineCount").asLong(), "lines of product " + id);
            assertEquals(expected.productQuantity.get(id).longValue(), revenue.get("quantity").asLong());
            assertEquals(expected.productRevenue.get(id).toPlainString(), revenue.get("revenue").asText());
            assertTrue(revenue.get("hours").size() >= 1, "hours of product " + id);
        });
        expected.regionOrders.forEach((region, orders) -> {
            JsonNode revenue = answers.get("/api/stores/region-revenue-daily/" + region);
            assertEquals(orders.longValue(), revenue.get("orderCount").asLong(), "orders of region " + region);
            assertEquals(expected.regionRevenue.get(region).toPlainString(), revenue.get("revenue").asText());
        });
        expected.userEvents.forEach((user, events) -> {
            JsonNode sessions = answers.get("/api/stores/user-sessions/" + user).get("sessions");
            long counted = 0;
            for (JsonNode session : sessions) {
                counted += session.get("eventCount").asLong();
            }
            assertEquals(events.longValue(), counted, "events of " + user);
        });
    }

    /** Whether gold, as {@code instance} answers it, holds every order, line and event produced. */
    private static boolean complete(AppInstance instance, GoldData.Expected expected) {
        try {
            long orders = sum(allPages(instance, "/api/stores/customer-totals", 100), "orderCount");
            long regionOrders = sum(allPages(instance, "/api/stores/region-revenue-daily", 100), "orderCount");
            long lines = sum(allPages(instance, "/api/stores/product-revenue-hourly", 100), "lineCount");
            long events = sum(allPages(instance, "/api/stores/user-sessions", 100), "eventCount");
            System.out.printf("gold so far: orders=%d regionOrders=%d lines=%d events=%d%n", orders, regionOrders,
                    lines, events);
            return orders == ORDERS && regionOrders == ORDERS
                    && lines == expected.productLines.values().stream().mapToLong(Long::longValue).sum()
                    && events == expected.userEvents.values().stream().mapToLong(Long::longValue).sum();
        } catch (AssertionError e) {
            System.out.println("gold not readable yet: " + e.getMessage());
            return false;
        }
    }

    /** Every item of a key-range query, following the cursors. */
    private static List<JsonNode> allPages(AppInstance instance, String path, int limit) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = instance.json(path + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(items::add);
            assertTrue(page.get("items").size() <= limit, "page size");
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            assertTrue(++pages < 1000, "paging ends");
        } while (cursor != null);
        return items;
    }

    private static long sum(List<JsonNode> items, String field) {
        return items.stream().mapToLong(item -> item.get(field).asLong()).sum();
    }

    private static int distinctKeys(String store, List<JsonNode> items) {
        String field = switch (store) {
            case "customer-totals" -> "customerId";
            case "product-revenue-hourly" -> "productId";
            case "region-revenue-daily" -> "region";
            default -> "userId";
        };
        Set<String> keys = new TreeSet<>();
        items.forEach(item -> keys.add(item.get(field).asText()));
        return keys.size();
    }

    private static int keyCount(String store, GoldData.Expected expected) {
        return switch (store) {
            case "customer-totals" -> expected.customerOrders.size();
            case "product-revenue-hourly" -> expected.productLines.size();
            case "region-revenue-daily" -> expected.regionOrders.size();
            default -> expected.userEvents.size();
        };
    }

    private static String firstHour(AppInstance instance) {
        JsonNode first = instance.json("/api/stores/product-revenue-hourly?limit=1").get("items").get(0);
        assertNotNull(first, "some product hour");
        return first.get("windowStart").asText();
    }

    /** The top n product ids of an hour, from the paged listing (highest revenue first, ties by id). */
    private static List<String> expectedTop(AppInstance instance, String hour, int n) {
        Map<Long, BigDecimal> revenue = new TreeMap<>();
        for (JsonNode item : allPages(instance, "/api/stores/product-revenue-hourly", 100)) {
            if (item.get("windowStart").asText().equals(hour)) {
                revenue.put(item.get("productId").asLong(), new BigDecimal(item.get("revenue").asText()));
            }
        }
        return revenue.entrySet().stream().sorted(Map.Entry.<Long, BigDecimal>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey())).limit(n).map(e -> Long.toString(e.getKey())).toList();
    }

    private static List<String> names(JsonNode products) {
        List<String> ids = new ArrayList<>();
        products.forEach(product -> ids.add(product.get("productId").asText()));
        return ids;
    }

    /** Whether the instance serves at least one partition of every gold store. */
    private static boolean ownsPartitions(AppInstance instance) {
        JsonNode self = instance.json("/api/status/instance");
        if (!"RUNNING".equals(self.get("state").asText())) {
            return false;
        }
        for (JsonNode store : self.get("stores")) {
            if (store.get("active").isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
