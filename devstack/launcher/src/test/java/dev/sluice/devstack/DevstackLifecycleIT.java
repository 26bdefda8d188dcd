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
            // The generator's changes reach bronze through CDC, and its events reach silver through streams-app.
            Await.until("CDC of generated orders", Duration.ofSeconds(60),
                    () -> BronzeRecords.count(devstack.kafka().bootstrapServers(), "bronze.pg.orders") > 3);
            Await.until("generated user events", Duration.ofSeconds(60),
                    () -> BronzeRecords.count(devstack.kafka().bootstrapServers(), DemoConnectors.USER_EVENTS_TOPIC) > 5);
            customersBefore = count(devstack.postgres(), "customers");
            firstSubjects = subjects(devstack);
            firstCustomerSchema = get(devstack, "/subjects/bronze.pg.customers-value/versions/1");
            appPid = devstack.app().pid();
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
