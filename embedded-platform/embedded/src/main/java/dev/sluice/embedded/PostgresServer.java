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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 server (the binaries come from a Maven artifact) with {@code wal_level=logical}, bound to
 * 127.0.0.1, holding the demo databases {@code shop} and {@code warehouse}. Its data directory survives restarts.
 *
 * <p>Every role gives its SCRAM password, the superuser {@value #SUPERUSER} included ({@link PgHba}); nothing is
 * trusted. Passwords are generated on first start and kept in owner-only files next to the data: the application
 * roles' in {@code credentials.properties}, the superuser's in {@code superuser.properties}. Only this class's setup
 * uses the superuser; components use the roles of {@link PostgresRoles}: the owner {@value #APP_USER} (data
 * generator), {@value #CDC_USER} (Debezium) and {@value #READER_USER} (JDBC source). A state directory of an earlier
 * version, which trusted the superuser, is migrated at its first start: password set, pg_hba rewritten, roles added.
 *
 * <p>{@code max_slot_wal_keep_size} bounds the WAL a replication slot may hold back (1GB unless given): a CDC
 * connector paused or deleted without its slot no longer fills the disk, but a slot that falls further behind is
 * invalidated and its connector must snapshot again.
 */
public final class PostgresServer implements ServerProcess {

    /** The role that owns the demo databases; the data generator writes as it. */
    public static final String APP_USER = "sluice";
    /** The role of CDC connectors: REPLICATION, SELECT on the shop tables. */
    public static final String CDC_USER = "sluice_cdc";
    /** The role of the JDBC source: SELECT on the warehouse tables, nothing else. */
    public static final String READER_USER = "sluice_reader";
    /**
     * streams-app's role for datasets of kind cdc: adds tables to {@link #SHOP_PUBLICATION} with the owner's rights
     * (see {@link PostgresRoles}); no REPLICATION, no superuser, {@code shop} only.
     */
    public static final String PUBLISHER_USER = "sluice_publisher";
    /** The bootstrap superuser; used by this class's setup only. */
    public static final String SUPERUSER = "postgres";
    /** The role of Iceberg's JDBC catalog (lake format iceberg); it owns {@link #ICEBERG_CATALOG_DB}. */
    public static final String ICEBERG_USER = "sluice_iceberg";
    /** The database of Iceberg's JDBC catalog. */
    public static final String ICEBERG_CATALOG_DB = "iceberg_catalog";
    /** The publication of the shop tables, created by their owner for the CDC connector. */
    public static final String SHOP_PUBLICATION = "sluice_shop";
    /** How much WAL a replication slot may hold back unless told otherwise. */
    public static final String DEFAULT_MAX_SLOT_WAL_KEEP_SIZE = "1GB";
    /** The operational database captured by CDC. */
    public static final String SHOP_DB = "shop";
    /** The "external" database polled by the JDBC source connector. */
    public static final String WAREHOUSE_DB = "warehouse";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String COMPONENT = "postgres";
    private static final List<String> DATABASES = List.of(SHOP_DB, WAREHOUSE_DB);
    private static final Pattern WAL_SIZE = Pattern.compile("-1|[0-9]+(kB|MB|GB|TB)?");

    private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final PostgresCredentials credentials;
    private final ProcessHandle postmaster;
    private final Path logFile;

    private PostgresServer(EmbeddedPostgres postgres, PostgresCredentials credentials, ProcessHandle postmaster,
            Path logFile) {
        this.postgres = postgres;
        this.credentials = credentials;
        this.postmaster = postmaster;
        this.logFile = logFile;
    }

    /**
     * Starts PostgreSQL on {@code dir/data} (initialising it on first use) with the default
     * {@code max_slot_wal_keep_size}, and creates the demo databases once.
     *
     * @param port TCP port; 0 picks a free one
     */
    public static PostgresServer start(Path dir, int port) {
        return start(dir, port, DEFAULT_MAX_SLOT_WAL_KEEP_SIZE);
    }

    /**
     * Starts PostgreSQL on {@code dir/data} (initialising it on first use) and creates the demo databases once.
     *
     * @param port TCP port; 0 picks a free one
     * @param maxSlotWalKeepSize PostgreSQL's {@code max_slot_wal_keep_size}, e.g. {@code 1GB}; -1 is unbounded
     */
    public static PostgresServer start(Path dir, int port, String maxSlotWalKeepSize) {
        if (!WAL_SIZE.matcher(maxSlotWalKeepSize).matches()) {
            throw new ComponentStartException(COMPONENT, "max_slot_wal_keep_size must be -1 or a size such as 1GB "
                    + "or 512MB, not '" + maxSlotWalKeepSize + "'");
        }
        int pgPort = Ports.orFree(port);
        Ports.requireFree(COMPONENT, pgPort);
        Path log = dir.resolve("postgres.log");
        EmbeddedPostgres postgres;
        PostgresCredentials credentials;
        boolean[] bootstrap = new boolean[1];
        try {
            Files.createDirectories(dir);
            credentials = PostgresCredentials.load(dir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setPort(pgPort)
                    .setServerConfig("listen_addresses", Ports.HOST)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_slot_wal_keep_size", maxSlotWalKeepSize)
                    // zonky checks readiness as the superuser; the password is ignored while it is still trusted.
                    .setConnectConfig("password", credentials.superuser.password())
                    .setDataDirectoryCustomizer(data -> bootstrap[0] = PgHba.beforeStart(data.toPath(),
                            credentials.superuserKept))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new ComponentStartException(COMPONENT, "server failed to start: " + e.getMessage(), log, e);
        }
        try {
            PostgresServer server = new PostgresServer(postgres, credentials, postmaster(dir.resolve("data"))
                    .orElseThrow(() -> new IOException("no live postmaster named in postmaster.pid")), log);
            server.initialise(dir, bootstrap[0]);
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

    /** The owner role, {@value #APP_USER}. */
    public String user() {
        return APP_USER;
    }

    /** The owner role's password. Never log it. */
    public String password() {
        return credentials.owner.password();
    }

    /** The CDC role, {@value #CDC_USER}, and its password. */
    public PostgresLogin cdcLogin() {
        return credentials.cdc;
    }

    /** The read-only role of the JDBC source, {@value #READER_USER}, and its password. */
    public PostgresLogin readerLogin() {
        return credentials.reader;
    }

    /** streams-app's role for the publication of datasets of kind cdc, {@value #PUBLISHER_USER}, and its password. */
    public PostgresLogin publisherLogin() {
        return credentials.publisher;
    }

    /** The role of Iceberg's JDBC catalog, {@value #ICEBERG_USER}, and its password. */
    public PostgresLogin icebergLogin() {
        return credentials.iceberg;
    }

    /** A new connection to {@code database} as the owner role; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        return connect(database, credentials.owner);
    }

    /** A new connection to {@code database} as {@code login}; the caller closes it. */
    public Connection connect(String database, PostgresLogin login) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), login.user(), login.password());
    }

    @Override
    public void close() {
        closeQuietly(postgres);
    }

    /**
     * Sets the superuser's password and secures pg_hba when this start bootstrapped, then applies the roles and
     * their rights, and creates and seeds the demo databases on first start.
     */
    private void initialise(Path dir, boolean bootstrap) throws SQLException, IOException {
        Path data = dir.resolve("data");
        try (Connection admin = connect("postgres", credentials.superuser);
                Statement statement = admin.createStatement()) {
            if (bootstrap) {
                statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD "
                        + PostgresRoles.literal(credentials.superuser.password()));
                credentials.keepSuperuser(dir);
                PgHba.secure(data);
                statement.execute("SELECT pg_reload_conf()");
                LOG.info("postgres superuser password set, no role is trusted any more dir={}", dir);
            }
            PostgresRoles.applyRoles(admin, credentials);
            Path marker = dir.resolve("initialised");
            boolean created = !Files.exists(marker);
            if (created) {
                for (String database : DATABASES) {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + APP_USER);
                }
            }
            PostgresRoles.applyIcebergCatalog(admin);
            PostgresRoles.applyDatabaseRights(admin);
            try (Connection shop = connect(SHOP_DB)) {
                if (created) {
                    seed(shop, SHOP_DB);
                }
                PostgresRoles.applyShop(shop);
            }
            try (Connection warehouse = connect(WAREHOUSE_DB)) {
                if (created) {
                    seed(warehouse, WAREHOUSE_DB);
                }
                PostgresRoles.applyWarehouse(warehouse);
            }
            if (created) {
                Files.writeString(marker, "demo databases created\n");
            }
        }
    }

    private static void seed(Connection connection, String database) throws SQLException, IOException {
        try (Statement seed = connection.createStatement()) {
            seed.execute(resource("/db/" + database + ".sql"));
        }
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
