package dev.sluice.app.dataset.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sluice.app.dataset.restart.StreamsRestart;
import dev.sluice.app.testing.ApiCalls;
import dev.sluice.embedded.Await;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * The dataset API over real HTTP with the API token set, on a dataset directory of its own (a fresh app per test):
 * writes need the token, validate-only changes nothing, a bad specification is a 400 naming the file and the field,
 * a PUT runs the actions and then writes the file, a failed action leaves the file unwritten and undoes the actions
 * that ran, the enrichment's inputs cannot be deleted, and a changed directory is reported as pending-restart (or,
 * with {@code sluice.datasets.apply=restart}, closes the instance with exit code 75, observed through a replaced
 * exit bean). Kafka is not configured: what the API does with the directory needs none.
 */
class DatasetApiIT {

    static final String ACTIONS = "dataset-api-it.actions";
    private static final String TOKEN = "dataset-api-token-for-the-test";
    private static final String COMMAND = "kubectl -n sluice rollout restart statefulset/streams-app";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CUSTOMERS = """
            name: customers
            source:
              kind: cdc
              table: public.customers
            key: [id]
            silver:
              topic: silver.customers
            """;

    @TempDir
    Path dir;
    private EmbeddedServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Map<String, Object> extra) throws IOException {
        Files.writeString(dir.resolve("customers.yaml"), CUSTOMERS);
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.enabled", false);
        props.put("sluice.api.token", TOKEN);
        props.put("sluice.datasets.dir", dir.toString());
        props.put("sluice.datasets.restart-command", COMMAND);
        props.put("sluice.datasets.poll-interval", "1h");
        props.put(ACTIONS, true);
        props.putAll(extra);
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    private static String suppliers(String description) {
        return """
                name: suppliers
                description: %s
                source:
                  kind: topic
                  topic: bronze.events.suppliers
                validation:
                  fields:
                    id: {required: true, type: long, min: 1}
                silver:
                  topic: silver.suppliers
                """.formatted(description);
    }

    @Test
    void writesNeedTheTokenReadsDoNot() throws IOException {
        start(Map.of());
        assertEquals(401, send("PUT", "/api/datasets/suppliers", suppliers("x"), null).statusCode());
        assertEquals(401, send("PUT", "/api/datasets/suppliers", suppliers("x"), "wrong").statusCode());
        assertEquals(401, send("PUT", "/api/datasets/suppliers?validateOnly=true", suppliers("x"), null)
                .statusCode());
        assertEquals(401, send("DELETE", "/api/datasets/customers", null, null).statusCode());
        assertFalse(Files.exists(dir.resolve("suppliers.yaml")));
        assertTrue(Files.exists(dir.resolve("customers.yaml")));
        assertEquals(List.of(), actions().calls);

        HttpResponse<String> list = send("GET", "/api/datasets", null, null);
        assertEquals(200, list.statusCode(), list.body());
        JsonNode datasets = json(list).path("datasets");
        assertEquals(1, datasets.size());
        assertEquals("customers", datasets.get(0).path("name").asText());
        assertEquals("silver.customers", datasets.get(0).path("silverTopic").asText());
        assertEquals("running", json(list).path("restart").path("state").asText());
    }

    @Test
    void validateOnlyRunsEveryCheckAndChangesNothing() throws IOException {
        start(Map.of());
        HttpResponse<String> valid = send("PUT", "/api/datasets/suppliers?validateOnly=true", suppliers("x"), TOKEN);
        assertEquals(200, valid.statusCode(), valid.body());
        assertEquals("valid", json(valid).path("outcome").asText());
        assertEquals(List.of("problems suppliers"), actions().calls, "checked, not applied");
        assertFalse(Files.exists(dir.resolve("suppliers.yaml")));
        assertEquals("running", json(valid).path("restart").path("state").asText());

        HttpResponse<String> problem = send("PUT", "/api/datasets/suppliers?validateOnly=true",
                suppliers("a problem"), TOKEN);
        assertEquals(400, problem.statusCode(), problem.body());
        assertTrue(json(problem).path("detail").asText().contains(
                "suppliers.yaml: source.table: table public.suppliers does not exist"), problem.body());
        assertEquals(404, send("GET", "/api/datasets/suppliers", null, null).statusCode());
    }

    @Test
    void aBadSpecificationIsA400NamingTheFileAndTheField() throws IOException {
        start(Map.of());
        HttpResponse<String> bad = send("PUT", "/api/datasets/suppliers",
                suppliers("x").replace("kind: topic", "kind: cdcx"), TOKEN);
        assertEquals(400, bad.statusCode(), bad.body());
        JsonNode problem = json(bad);
        assertTrue(problem.path("detail").asText().contains("suppliers.yaml: source.kind: must be one of cdc, jdbc, "
                + "topic (was 'cdcx')"), bad.body());
        assertEquals("source.kind", problem.path("errors").get(0).path("field").asText());

        HttpResponse<String> misnamed = send("PUT", "/api/datasets/vendors", suppliers("x"), TOKEN);
        assertEquals(400, misnamed.statusCode(), misnamed.body());
        assertTrue(json(misnamed).path("detail").asText().contains("vendors.yaml: name:"), misnamed.body());

        HttpResponse<String> unknownKey = send("PUT", "/api/datasets/suppliers",
                suppliers("x") + "colour: blue\n", TOKEN);
        assertEquals(400, unknownKey.statusCode(), unknownKey.body());
        assertTrue(json(unknownKey).path("detail").asText().contains("colour"), unknownKey.body());

        HttpResponse<String> traversal = send("PUT", "/api/datasets/..%2Fescape", suppliers("x"), TOKEN);
        assertTrue(traversal.statusCode() == 400 || traversal.statusCode() == 404, traversal.body());
        HttpResponse<String> upper = send("PUT", "/api/datasets/Suppliers", suppliers("x"), TOKEN);
        assertEquals(400, upper.statusCode(), upper.body());
        assertEquals("name", json(upper).path("errors").get(0).path("field").asText());

        assertEquals(List.of(), actions().calls, "nothing reached the actions");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("customers.yaml"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.notExists(dir.getParent().resolve("escape.yaml")));
    }

    @Test
    void aPutAppliesThenWritesTheFileAndReportsThePendingRestart() throws IOException {
        start(Map.of());
        String yaml = suppliers("Suppliers of the shop");
        HttpResponse<String> put = send("PUT", "/api/datasets/suppliers", yaml, TOKEN);
        assertEquals(200, put.statusCode(), put.body());
        JsonNode change = json(put);
        assertEquals("applied", change.path("outcome").asText());
        assertEquals(List.of("problems suppliers", "apply suppliers"), actions().calls);
        assertEquals(yaml, Files.readString(dir.resolve("suppliers.yaml")), "the text as given");
        assertEquals("pending-restart", change.path("restart").path("state").asText());
        assertEquals(COMMAND, change.path("restart").path("restartCommand").asText());

        JsonNode one = json(send("GET", "/api/datasets/suppliers", null, null));
        assertEquals(yaml, one.path("yaml").asText());
        assertEquals("topic", one.path("spec").path("source").path("kind").asText(), "the spec as JSON");
        assertEquals(1, one.path("spec").path("validation").path("fields").path("id").path("min").asInt());
        assertEquals(0, one.path("status").path("recordsIn").asLong());
        assertEquals("pending-restart", one.path("restart").path("state").asText());
        JsonNode list = json(send("GET", "/api/datasets", null, null));
        assertEquals(List.of("customers", "suppliers"), names(list));
        assertEquals("pending-restart", list.path("restart").path("state").asText());

        // Deleting it again makes the directory match the running topology again.
        assertEquals(200, send("DELETE", "/api/datasets/suppliers", null, TOKEN).statusCode());
        assertEquals("running", json(send("GET", "/api/datasets", null, null)).path("restart").path("state")
                .asText());
        assertEquals(List.of("problems suppliers", "apply suppliers", "remove suppliers"), actions().calls);
    }

    @Test
    void aFailedActionLeavesTheFileUnwrittenAndUndoesTheActionsThatRan() throws IOException {
        start(Map.of());
        HttpResponse<String> failed = send("PUT", "/api/datasets/suppliers", suppliers("will fail"), TOKEN);
        assertEquals(502, failed.statusCode(), failed.body());
        String detail = json(failed).path("detail").asText();
        // The service's real actions (dev.sluice.app.dataset.source) run too and are named beside the test's.
        assertTrue(detail.contains("suppliers.yaml: action FailingActions failed: lake sink lake-silver rejected "
                + "the topic list; the file was not written; removed again by "), detail);
        assertTrue(detail.substring(detail.indexOf("removed again by ")).contains("RecordingActions"), detail);
        assertFalse(Files.exists(dir.resolve("suppliers.yaml")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("customers.yaml"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left either");
        }
        assertEquals(List.of("problems suppliers", "apply suppliers", "remove suppliers"), actions().calls);
        assertEquals("running", json(send("GET", "/api/datasets", null, null)).path("restart").path("state")
                .asText());

        // An update that fails puts the previous specification back.
        assertEquals(200, send("PUT", "/api/datasets/suppliers", suppliers("first"), TOKEN).statusCode());
        actions().calls.clear();
        HttpResponse<String> update = send("PUT", "/api/datasets/suppliers", suppliers("then fail"), TOKEN);
        assertEquals(502, update.statusCode(), update.body());
        String again = json(update).path("detail").asText();
        assertTrue(again.contains("the previous specification applied again by ") && again.substring(again.indexOf(
                "the previous specification applied again by ")).contains("RecordingActions"), update.body());
        assertEquals(suppliers("first"), Files.readString(dir.resolve("suppliers.yaml")));
        assertEquals(List.of("problems suppliers", "apply suppliers", "apply suppliers"), actions().calls);
    }

    @Test
    void theEnrichmentsInputsCannotBeDeletedOthersCan() throws IOException {
        start(Map.of());
        HttpResponse<String> refused = send("DELETE", "/api/datasets/customers", null, TOKEN);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(json(refused).path("detail").asText().contains("silver.customers is an input of the order "
                + "enrichment"), refused.body());
        assertTrue(Files.exists(dir.resolve("customers.yaml")));
        assertEquals(List.of(), actions().calls);
        assertEquals(404, send("DELETE", "/api/datasets/suppliers", null, TOKEN).statusCode());
    }

    @Test
    void aChangeByAnotherInstanceIsNoticedByPolling() throws IOException {
        start(Map.of("sluice.datasets.poll-interval", "100ms"));
        assertEquals("running", restartState());
        // Another instance sharing the directory (or an operator) adds a specification.
        Files.writeString(dir.resolve("suppliers.yaml"), suppliers("by hand"));
        Await.until("pending-restart reported", TIMEOUT, () -> "pending-restart".equals(restartState()));
        Files.delete(dir.resolve("suppliers.yaml"));
        Await.until("running again", TIMEOUT, () -> "running".equals(restartState()));
        assertEquals(List.of(), exits().codes, "apply: report never exits");
    }

    @Test
    void withApplyRestartTheInstanceExitsWith75ForItsSupervisor() throws IOException {
        start(Map.of("sluice.datasets.apply", "restart"));
        HttpResponse<String> put = send("PUT", "/api/datasets/suppliers", suppliers("x"), TOKEN);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals("restarting", json(put).path("restart").path("state").asText());
        assertTrue(Files.exists(dir.resolve("suppliers.yaml")), "written before the restart");
        Await.until("exit with 75", TIMEOUT, () -> exits().codes.equals(List.of(StreamsRestart.EXIT_CODE)));
    }

    private String restartState() {
        return json(send("GET", "/api/datasets", null, null)).path("restart").path("state").asText();
    }

    private RecordingActions actions() {
        return server.getApplicationContext().getBean(RecordingActions.class);
    }

    private RecordingExit exits() {
        return server.getApplicationContext().getBean(RecordingExit.class);
    }

    private static List<String> names(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.path("datasets").spliterator(), false)
                .map(d -> d.path("name").asText()).toList();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) {
        return ApiCalls.send(method, server.getURL() + path, body, "application/yaml", token, TIMEOUT);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return ApiCalls.json(response);
    }
}
