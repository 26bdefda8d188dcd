package dev.sluice.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 server (the binaries come from a Maven artifact) with {@code wal_level=logical}, bound to
 * 127.0.0.1, holding the demo databases {@code shop} and {@code warehouse}. Its data directory survives restarts.
 *
 * <p>Applications connect as {@value #APP_USER}, a role with LOGIN and REPLICATION whose password is generated
 * on first start and kept in {@code credentials.properties} next to the data; password authentication (SCRAM) is
 * enforced for it on TCP. Only the bootstrap superuser {@code postgres} is trusted, from 127.0.0.1 only.
 */
public final class PostgresServer implements ServerProcess {

    /** The role applications and connectors use. */
    public static final String APP_USER = "sluice";
    /** The operational database captured by CDC. */
    public static final String SHOP_DB = "shop";
    /** The "external" database polled by the JDBC source connector. */
    public static final String WAREHOUSE_DB = "warehouse";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String COMPONENT = "postgres";
    private static final List<String> DATABASES = List.of(SHOP_DB, WAREHOUSE_DB);
    private static final String PG_HBA = """
            # Written by sluice-embedded. Only loopback; the application role must give its password.
            host    all          postgres  127.0.0.1/32  trust
            host    replication  postgres  127.0.0.1/32  trust
            host    all          all       127.0.0.1/32  scram-sha-256
            host    replication  all       127.0.0.1/32  scram-sha-256
            """;

    private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final String password;
    private final ProcessHandle postmaster;
    private final Path logFile;

    private PostgresServer(EmbeddedPostgres postgres, String password, ProcessHandle postmaster, Path logFile) {
        this.postgres = postgres;
        this.password = password;
        this.postmaster = postmaster;
        this.logFile = logFile;
    }

    /**
     * Starts PostgreSQL on {@code dir/data} (initialising it on first use) and creates the demo databases once.
     *
     * @param port TCP port; 0 picks a free one
     */
    public static PostgresServer start(Path dir, int port) {
        int pgPort = Ports.orFree(port);
        Ports.requireFree(COMPONENT, pgPort);
        Path log = dir.resolve("postgres.log");
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(dir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setPort(pgPort)
                    .setServerConfig("listen_addresses", Ports.HOST)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new ComponentStartException(COMPONENT, "server failed to start: " + e.getMessage(), log, e);
        }
        try {
            String password = credentials(dir);
            PostgresServer server = new PostgresServer(postgres, password, postmaster(dir.resolve("data"))
                    .orElseThrow(() -> new IOException("no live postmaster named in postmaster.pid")), log);
            server.initialiseOnce(dir);
            LOG.info("postgres up url={} databases={}", server.jdbcUrl(SHOP_DB), DATABASES);
            return server;
        } catch (SQLException | IOException e) {
            closeQuietly(postgres);
            throw new ComponentStartException(COMPONENT, "initialising the demo databases failed: " + e.getMessage(),
                    log, e);
        }
    }

    /**
     * Stops a PostgreSQL that an earlier run left running on {@code dir} (its launcher was killed and could not stop
     * it), recognised by the data directory's {@code postmaster.pid}: a live {@code postgres} process serving this
     * very directory. Uses PostgreSQL's fast shutdown (SIGINT: sessions rolled back, a clean checkpoint), and SIGKILL
     * only if it does not stop within 30 s. Anything else (no pid file, a dead or recycled pid) is left alone.
     *
     * @return the pid of the server stopped, if there was one
     */
    public static Optional<Long> stopLeftover(Path dir) {
        Optional<ProcessHandle> leftover = postmaster(dir.resolve("data"));
        leftover.ifPresent(process -> {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
                process.onExit().get(LEFTOVER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("leftover postgres pid={} did not stop within {}; killing it", process.pid(),
                        LEFTOVER_STOP_TIMEOUT);
                process.destroyForcibly();
                process.onExit().join();
            } catch (IOException | ExecutionException e) {
                throw new ComponentStartException(COMPONENT, "cannot stop the leftover server pid " + process.pid()
                        + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ComponentStartException(COMPONENT, "interrupted while stopping a leftover server");
            }
        });
        return leftover.map(ProcessHandle::pid);
    }

    /** The live postmaster that {@code data/postmaster.pid} names, if it serves {@code data}. */
    private static Optional<ProcessHandle> postmaster(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        // Line 1: the postmaster's pid; line 2: its data directory (PostgreSQL's documented lock file layout).
        if (lines.size() < 2 || !Path.of(lines.get(1).trim()).toAbsolutePath().normalize()
                .equals(data.toAbsolutePath().normalize())) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public ProcessHandle processHandle() {
        return postmaster;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    /** JDBC URL of {@code database}, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.HOST + ":" + port() + "/" + database;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The application role, {@value #APP_USER}. */
    public String user() {
        return APP_USER;
    }

    /** The application role's password. Never log it. */
    public String password() {
        return password;
    }

    /** A new connection to {@code database} as the application role; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), APP_USER, password);
    }

    @Override
    public void close() {
        closeQuietly(postgres);
    }

    private void initialiseOnce(Path dir) throws SQLException, IOException {
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement statement = admin.createStatement()) {
            Files.writeString(dir.resolve("data").resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
            Path marker = dir.resolve("initialised");
            if (Files.exists(marker)) {
                return;
            }
            statement.execute("CREATE ROLE " + APP_USER + " LOGIN REPLICATION PASSWORD '" + password + "'");
            for (String database : DATABASES) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + APP_USER);
            }
            for (String database : DATABASES) {
                try (Connection connection = connect(database); Statement seed = connection.createStatement()) {
                    seed.execute(resource("/db/" + database + ".sql"));
                }
            }
            Files.writeString(marker, "demo databases created\n");
        }
    }

    private static String credentials(Path dir) throws IOException {
        Path file = dir.resolve("credentials.properties");
        Properties props = Secrets.read(file);
        if (props.containsKey("password")) {
            return props.getProperty("password");
        }
        props.setProperty("user", APP_USER);
        props.setProperty("password", Secrets.random());
        Secrets.writePrivate(file, props, "PostgreSQL application role of the Sluice embedded platform");
        return props.getProperty("password");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PostgresServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("postgres did not stop cleanly: {}", e.toString());
        }
    }
}
