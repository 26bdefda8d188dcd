package dev.sluice.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.ComponentStartException;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;

/**
 * What {@code ./sluice up} promises: everything comes up and answers, data flows, a stop leaves no process and no
 * port behind, a second start on the same state resumes, and a taken port fails fast naming the component.
 */
class DevstackLifecycleIT {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent().getParent();

    @Test
    void startsStopsCleanlyAndResumesFromItsState() throws Exception {
        Path state = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "devstack-state-");
        List<Integer> ports;
        long appPid;
        long customersBefore;
        List<String> firstSubjects;
        String firstToken;
        String firstCustomerSchema;
        try (Devstack devstack = new Devstack(settings(state, "--fresh"))) {
            devstack.start();
            Map<String, String> endpoints = devstack.endpoints();
            for (String component : List.of("kafka", "postgres", "s3", "schema registry", "kafka connect",
                    "streams-app", "data generator")) {
                assertTrue(endpoints.containsKey(component), component + " in " + endpoints.keySet());
            }
            assertTrue(devstack.readyReport().startsWith("sluice ready"));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)),
                    "the state directory (credentials, data) is its owner's only");
            String token = assertTheApiIsClosed(devstack);
            assertNoSecretIsEchoed(devstack, token);
            // The generator's changes reach bronze through CDC, and its events reach silver through streams-app.
            Await.until("CDC of generated orders", Duration.ofSeconds(60),
                    () -> BronzeRecords.count(devstack.kafka().bootstrapServers(), "bronze.pg.orders") > 3);
            Await.until("generated user events", Duration.ofSeconds(60),
                    () -> BronzeRecords.count(devstack.kafka().bootstrapServers(), DemoConnectors.USER_EVENTS_TOPIC) > 5);
            customersBefore = count(devstack.postgres(), "customers");
            firstSubjects = subjects(devstack);
            firstCustomerSchema = get(devstack, "/subjects/bronze.pg.customers-value/versions/1");
            appPid = devstack.app().pid();
            firstToken = token;
            ports = List.of(port(devstack.kafka().bootstrapServers()), devstack.postgres().port(),
                    devstack.s3().endpoint().getPort(), URI.create(devstack.registry().url()).getPort(),
                    URI.create(devstack.connect().restUrl()).getPort(), URI.create(devstack.app().url()).getPort());
        }
        for (int port : ports) {
            assertFalse(listening(port), "port " + port + " closed after stop");
        }
        assertFalse(ProcessHandle.of(appPid).map(ProcessHandle::isAlive).orElse(false), "streams-app exited");
        assertFalse(Files.exists(state.resolve("sluice.pid")), "pid file removed");

        try (Devstack again = new Devstack(settings(state, "--no-generator"))) {
            again.start();
            assertEquals(firstToken, again.apiToken(), "the API token is kept across restarts");
            assertTrue(count(again.postgres(), "customers") >= customersBefore, "tables survive a restart");
            // The pipeline registers more subjects as data flows; none of the first run's may be lost, and a schema
            // keeps its id (records already in Kafka refer to it).
            assertTrue(subjects(again).containsAll(firstSubjects), "registry keeps its subjects");
            assertEquals(firstCustomerSchema, get(again, "/subjects/bronze.pg.customers-value/versions/1"),
                    "a schema keeps its id across restarts");
            assertTrue(again.readyReport().contains("streams-app"));
        }
    }

    @Test
    void aTakenPortFailsFastNamingTheComponent() throws Exception {
        Path state = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "devstack-taken-");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.HOST, 0));
            DevstackSettings settings = settings(state, "--registry-port", Integer.toString(taken.getLocalPort()));
            try (Devstack devstack = new Devstack(settings)) {
                ComponentStartException e = assertThrows(ComponentStartException.class, devstack::start);
                assertEquals("schema-registry", e.component());
                assertTrue(e.getMessage().contains(Integer.toString(taken.getLocalPort())), e.getMessage());
            }
        }
    }

    /** The API needs the generated token for changes; the token is in an owner-only file the ready block names. */
    private static String assertTheApiIsClosed(Devstack devstack) throws Exception {
        Path tokenFile = devstack.apiTokenFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertTrue(devstack.readyReport().contains(tokenFile.toString()), devstack.readyReport());
        String token = Files.readString(tokenFile).strip();
        String pause = devstack.app().url() + "/api/connectors/no-such-connector/pause";
        assertEquals(401, call("POST", pause, null, null).statusCode());
        assertEquals(404, call("POST", pause, token, null).statusCode(), "with the token Connect answers");
        return token;
    }

    /**
     * Connect resolves config references before validating and quotes what they resolve to. Through the API no
     * resolved secret comes back; on the worker itself, references outside the secrets directory and to variables
     * outside the allowlist resolve to nothing. A reference inside the directory does resolve (and Connect does
     * quote it), which shows the other checks could fail.
     */
    private static void assertNoSecretIsEchoed(Devstack devstack, String token) throws Exception {
        Path secrets = devstack.apiTokenFile().resolveSibling("secrets/connect.properties");
        String piiKey = dev.sluice.embedded.Secrets.read(secrets).getProperty("pii.hash.key");
        String passwordRef = "${file:" + secrets + ":postgres.password}";
        String piiRef = "${file:" + secrets + ":pii.hash.key}";
        Path planted = Files.createTempFile("planted-", ".properties");
        String plantedValue = "planted-" + java.util.UUID.randomUUID();
        Files.writeString(planted, "leak=" + plantedValue + "\n");
        String path = System.getenv("PATH");
        try {
            java.net.http.HttpResponse<String> viaApi = call("POST", devstack.app().url() + "/api/connectors", token,
                    "{\"name\":\"echo\",\"config\":" + jdbcConfig(devstack, passwordRef, piiRef) + "}");
            assertEquals(400, viaApi.statusCode(), viaApi.body());
            assertFalse(viaApi.body().contains(piiKey), viaApi.body());

            String validate = devstack.connect().restUrl()
                    + "/connector-plugins/JdbcSourceConnector/config/validate";
            assertTrue(call("PUT", validate, null, jdbcConfig(devstack, passwordRef, piiRef)).body().contains(piiKey),
                    "inside the secrets directory a reference resolves, and Connect quotes it");
            for (String outside : List.of("${file:" + planted + ":leak}", "${file:/proc/self/environ:PATH}",
                    "${env:PATH}")) {
                String answer = call("PUT", validate, null, jdbcConfig(devstack, passwordRef, outside)).body();
                assertFalse(answer.contains(plantedValue) || (path != null && answer.contains(path)),
                        outside + " resolved: " + answer);
            }
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    private static String jdbcConfig(Devstack devstack, String passwordRef, String tasksMax) {
        return "{\"connector.class\":\"dev.sluice.connect.jdbc.JdbcSourceConnector\",\"name\":\"echo\","
                + "\"connection.url\":\"" + devstack.postgres().jdbcUrl(PostgresServer.WAREHOUSE_DB) + "\","
                + "\"connection.user\":\"" + devstack.postgres().user() + "\",\"connection.password\":\""
                + passwordRef + "\",\"tables\":\"product_catalog\",\"mode\":\"bulk\",\"topic.prefix\":\"echo.\","
                + "\"tasks.max\":\"" + tasksMax + "\"}";
    }

    private static java.net.http.HttpResponse<String> call(String method, String url, String token, String json)
            throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).method(method, json == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static DevstackSettings settings(Path state, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--state-dir", state.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--connect-port", "0", "--postgres-port", "0",
                "--s3-port", "0", "--registry-port", "0", "--app-port", "0",
                "--shop-ops-per-second", "20", "--events-per-second", "20"));
        args.addAll(List.of(extra));
        return DevstackSettings.parse(HOME, args, Map.of());
    }

    private static long count(PostgresServer postgres, String table) throws Exception {
        try (Connection c = postgres.connect(PostgresServer.SHOP_DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> subjects(Devstack devstack) throws Exception {
        List<String> subjects = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(devstack, "/subjects"))
                .forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    private static String get(Devstack devstack, String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(devstack.registry().ccompatUrl() + path)).GET()
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.HOST, port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
