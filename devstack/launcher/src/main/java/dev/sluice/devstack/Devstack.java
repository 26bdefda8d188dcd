package dev.sluice.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.devstack.generator.DataGenerator;
import dev.sluice.devstack.generator.GeneratorMain;
import dev.sluice.devstack.supervise.LeftoverProcesses;
import dev.sluice.devstack.supervise.RestartPolicy;
import dev.sluice.devstack.supervise.Supervised;
import dev.sluice.devstack.supervise.Supervisor;
import dev.sluice.embedded.ComponentStartException;
import dev.sluice.embedded.ConnectWorker;
import dev.sluice.embedded.KafkaBroker;
import dev.sluice.embedded.Ports;
import dev.sluice.embedded.PostgresServer;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;
import dev.sluice.embedded.Secrets;
import dev.sluice.embedded.ServerProcess;

/**
 * The whole platform on its embedded default: broker, Connect, PostgreSQL, S3, registry, streams-app and the data
 * generator, all on 127.0.0.1 with their state under one directory. {@link #start()} brings everything up and
 * waits until each answers; {@link #close()} stops everything in reverse order. A second start on the same state
 * directory resumes where the first stopped.
 */
public final class Devstack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Devstack.class);
    private static final String CONNECT_GROUP = "sluice-connect";
    private static final String PII_HASH_KEY = "pii.hash.key";
    /**
     * The environment variables connector configs may name in {@code ${env:...}}: none of the launcher's own
     * environment (which holds whatever the developer's shell does), only variables set for the purpose.
     */
    static final String CONNECTOR_ENV_PATTERN = "^SLUICE_CONNECTOR_SECRET_[A-Z0-9_]+$";

    private final DevstackSettings settings;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private final LeftoverProcesses leftovers;
    private final Supervisor supervisor;
    private KafkaBroker kafka;
    private ConnectWorker connect;
    private Supervised<PostgresServer> postgres;
    private Supervised<S3Server> s3;
    private Supervised<RegistryServer> registry;
    private Supervised<StreamsAppProcess> app;
    private DataGenerator generator;
    private Path pidFile;
    private boolean closed;

    public Devstack(DevstackSettings settings) {
        this(settings, RestartPolicy.DEFAULT);
    }

    /** With a restart policy of its own (tests that make a child die on purpose). */
    Devstack(DevstackSettings settings, RestartPolicy restarts) {
        this.settings = settings;
        this.leftovers = new LeftoverProcesses(settings.stateDir().resolve("run"),
                settings.stateDir().resolve("postgres"));
        this.supervisor = new Supervisor(restarts, Clock.systemUTC(), leftovers::record);
    }

    /**
     * Starts every component and returns once all of them answer.
     *
     * @throws ComponentStartException naming the component that failed (everything started is stopped again)
     */
    public synchronized void start() {
        try {
            prepareStateDir();
            int kafkaPort = settings.kafkaPort();
            int controllerPort = settings.kafkaControllerPort();
            int connectPort = settings.connectPort();
            int postgresPort = settings.postgresPort();
            int s3Port = settings.s3Port();
            int registryPort = settings.registryPort();
            // Check every fixed port before starting anything: a clash is reported at once, not after a minute.
            // Port 0 means "any free port", chosen by each component just before it binds.
            requireFreeIfFixed("kafka", kafkaPort);
            requireFreeIfFixed("kafka controller", controllerPort);
            requireFreeIfFixed("kafka-connect", connectPort);
            requireFreeIfFixed("postgres", postgresPort);
            requireFreeIfFixed("s3", s3Port);
            requireFreeIfFixed("schema-registry", registryPort);
            requireFreeIfFixed("streams-app", settings.appPort());

            Path state = settings.stateDir();
            ExecutorService starter = Executors.newFixedThreadPool(4);
            try {
                CompletableFuture<KafkaBroker> kafkaStart = async(starter,
                        () -> KafkaBroker.start(state.resolve("kafka"), kafkaPort, controllerPort));
                CompletableFuture<PostgresServer> postgresStart = async(starter,
                        () -> PostgresServer.start(state.resolve("postgres"), postgresPort,
                                settings.postgresMaxSlotWalKeepSize()));
                CompletableFuture<S3Server> s3Start = async(starter, () -> S3Server.start(state.resolve("s3"), s3Port));
                CompletableFuture<RegistryServer> registryStart = async(starter,
                        () -> RegistryServer.start(state.resolve("registry"), registryPort));
                kafka = track(await(kafkaStart, kafkaStart, postgresStart, s3Start, registryStart));
                PostgresServer firstPostgres = await(postgresStart, kafkaStart, postgresStart, s3Start, registryStart);
                S3Server firstS3 = await(s3Start, kafkaStart, postgresStart, s3Start, registryStart);
                RegistryServer firstRegistry = await(registryStart, kafkaStart, postgresStart, s3Start,
                        registryStart);
                // Restarts reuse the ports chosen now: connectors and streams-app keep their addresses.
                int pgPort = firstPostgres.port();
                int s3HttpPort = firstS3.endpoint().getPort();
                int registryHttpPort = URI.create(firstRegistry.url()).getPort();
                postgres = supervise("postgres", firstPostgres,
                        () -> PostgresServer.start(state.resolve("postgres"), pgPort,
                                settings.postgresMaxSlotWalKeepSize()));
                s3 = supervise("s3", firstS3, () -> S3Server.start(state.resolve("s3"), s3HttpPort));
                registry = supervise("schema-registry", firstRegistry,
                        () -> RegistryServer.start(state.resolve("registry"), registryHttpPort));
            } finally {
                starter.shutdown();
            }
            endpoints.put("kafka", kafka.bootstrapServers());
            endpoints.put("postgres", postgres().jdbcUrl(PostgresServer.SHOP_DB) + " (also /"
                    + PostgresServer.WAREHOUSE_DB + "; owner " + postgres().user() + ", connectors "
                    + PostgresServer.CDC_USER + " and " + PostgresServer.READER_USER + "; passwords in "
                    + state.resolve("postgres/credentials.properties") + ")");
            endpoints.put("s3", s3().endpoint() + " (bucket " + S3Server.LAKE_BUCKET + "; keys in "
                    + state.resolve("s3/credentials.properties") + ")");
            endpoints.put("schema registry", registry().ccompatUrl() + " (Confluent API), " + registry().registryV2Url());

            Path secrets = state.resolve("secrets/connect.properties");
            Properties secretValues = writeSecrets(secrets);
            connect = track(ConnectWorker.start(kafka.bootstrapServers(), connectPort, CONNECT_GROUP, null,
                    ConnectWorker.restrictedProviders(secrets.getParent(), CONNECTOR_ENV_PATTERN)));
            endpoints.put("kafka connect", connect.restUrl());
            DemoConnectors demo = new DemoConnectors(connect.restUrl(), kafka.bootstrapServers(), registry(), postgres(),
                    s3(), secrets, Duration.ofMillis(settings.lakeIdleFlushMs()), settings.lakeFormat());
            if (settings.lakeFormat() == LakeFormat.ICEBERG) {
                // Iceberg's sinks exchange commit requests and written files on it; they do not create it.
                kafka.createTopics(1, DemoConnectors.ICEBERG_CONTROL_TOPIC);
                endpoints.put("iceberg catalog", postgres().jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB) + " (JDBC "
                        + "catalog '" + DemoConnectors.ICEBERG_CATALOG + "', role " + PostgresServer.ICEBERG_USER
                        + ", warehouse s3://" + S3Server.LAKE_BUCKET + "/iceberg; docs/lake/iceberg.md)");
            }
            demo.registerAll();
            kafka.createTopics(DemoConnectors.TOPIC_PARTITIONS, GeneratorMain.TOPIC_CONFIG,
                    DemoConnectors.USER_EVENTS_TOPIC);

            int appPort = Ports.orFree(settings.appPort());
            String apiToken = apiToken();
            Map<String, String> appEnvironment = new HashMap<>(Map.ofEntries(
                            Map.entry("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                            Map.entry("SLUICE_REGISTRY_URL", registry().registryV2Url()),
                            Map.entry("SLUICE_CONNECT_URL", connect.restUrl()),
                            Map.entry("SLUICE_PII_HASH_KEY", secretValues.getProperty(PII_HASH_KEY)),
                            Map.entry("SLUICE_API_TOKEN", apiToken),
                            // The snapshot endpoint resolves the CDC connector's references as the worker does.
                            Map.entry("SLUICE_CONNECT_FILE_ALLOWED_PATHS", secrets.getParent().toString()),
                            Map.entry("SLUICE_CONNECT_ENV_ALLOWLIST_PATTERN", CONNECTOR_ENV_PATTERN),
                            Map.entry("SLUICE_COMPACTION_ENABLED", "true"),
                            // The current state of the gold aggregates per closed hour (docs/lake/current-state.md).
                            Map.entry("SLUICE_COMPACTION_CURRENT_STATE_ENABLED", "true"),
                            Map.entry("SLUICE_RETENTION_ENABLED", "true"),
                            Map.entry("SLUICE_S3_ENDPOINT", s3().endpoint().toString()),
                            Map.entry("SLUICE_S3_ACCESS_KEY", s3().accessKey()),
                            Map.entry("SLUICE_S3_SECRET_KEY", s3().secretKey()),
                            // Kafka Streams does not leave its group on close, so a restarted app waits out the
                            // previous member's session (45 s by default) before it gets its partitions back.
                            Map.entry("KAFKA_STREAMS_DEFAULT_SESSION_TIMEOUT_MS", "10000")));
            appEnvironment.putAll(datasetEnvironment(postgres(), state.resolve("datasets"), secrets));
            if (settings.lakeFormat() == LakeFormat.ICEBERG) {
                // Compaction, snapshot expiry and orphan removal of the Iceberg tables (docs/lake/iceberg.md).
                appEnvironment.putAll(Map.of("SLUICE_ICEBERG_MAINTENANCE_ENABLED", "true",
                        "SLUICE_ICEBERG_CATALOG_URI", postgres().jdbcUrl(PostgresServer.ICEBERG_CATALOG_DB),
                        "SLUICE_ICEBERG_CATALOG_PASSWORD", postgres().icebergLogin().password()));
            }
            app = supervise("streams-app", StreamsAppProcess.start(settings.home(), state.resolve("streams-app"),
                    appPort, appEnvironment), () -> StreamsAppProcess.start(settings.home(),
                            state.resolve("streams-app"), appPort, appEnvironment));
            endpoints.put("streams-app", app().url() + " (health " + app().url() + "/health)");
            endpoints.put("api token", apiTokenFile() + " (console: paste it; curl: -H \"Authorization: Bearer "
                    + "$(cat " + apiTokenFile() + ")\")");

            if (settings.generator()) {
                generator = track(DataGenerator.start(() -> postgres().connect(PostgresServer.SHOP_DB),
                        kafka.bootstrapServers(), registry().registryV2Url(),
                        DemoConnectors.USER_EVENTS_TOPIC, settings.shopOpsPerSecond(), settings.eventsPerSecond(),
                        settings.badRatio()));
                endpoints.put("data generator", String.format("%.0f shop changes/s, %.0f user_events/s, %.0f%% bad",
                        settings.shopOpsPerSecond(), settings.eventsPerSecond(), settings.badRatio() * 100));
            }
            endpoints.put("state", state + " (logs: platform.log and */*.log there)");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * streams-app's settings for datasets (docs/datasets.md): the specifications in {@code datasets}
     * ({@code <state>/datasets}, seeded with the shop's on first start), applied by restarting streams-app, the publisher login that adds cdc datasets' tables to the shop
     * publication (its password from the environment, like every secret of the app), and the warehouse as the
     * database of jdbc datasets, whose JDBC sources get the reader's password as a reference to the secrets file.
     */
    static Map<String, String> datasetEnvironment(PostgresServer postgres, Path datasets, Path secrets) {
        return Map.of("SLUICE_DATASETS_DIR", datasets.toString(),
                // A changed specification is applied by a restart: streams-app exits with 75, the supervisor starts
                // it again at once with the new topology.
                "SLUICE_DATASETS_APPLY", "restart",
                "SLUICE_DATASETS_PUBLICATION_USER", postgres.publisherLogin().user(),
                "SLUICE_DATASETS_PUBLICATION_PASSWORD", postgres.publisherLogin().password(),
                "SLUICE_DATASETS_JDBC_URL", postgres.jdbcUrl(PostgresServer.WAREHOUSE_DB),
                "SLUICE_DATASETS_JDBC_USER", postgres.readerLogin().user(),
                "SLUICE_DATASETS_JDBC_PASSWORD_REFERENCE", "file:" + secrets.toAbsolutePath() + ":"
                        + DemoConnectors.READER_PASSWORD_KEY);
    }

    /** What runs where, for the ready block and for tests. */
    public synchronized Map<String, String> endpoints() {
        return Map.copyOf(endpoints);
    }

    /** The ready block printed once every component answers. */
    public synchronized String readyReport() {
        StringBuilder out = new StringBuilder("sluice ready\n");
        endpoints.forEach((name, where) -> out.append(String.format("  %-16s %s%n", name, where)));
        out.append("  stop with Ctrl-C (or ./sluice down)\n");
        return out.toString();
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The running PostgreSQL (a new object after each restart). */
    public PostgresServer postgres() {
        return postgres.current();
    }

    public S3Server s3() {
        return s3.current();
    }

    public RegistryServer registry() {
        return registry.current();
    }

    public ConnectWorker connect() {
        return connect;
    }

    /** The running streams-app (a new process after each restart). */
    public StreamsAppProcess app() {
        return app.current();
    }

    /** The supervised children by name, for tests and status: state and number of restarts. */
    public Map<String, Supervised<?>> supervised() {
        Map<String, Supervised<?>> children = new LinkedHashMap<>();
        for (Supervised<?> child : Arrays.asList(postgres, s3, registry, app)) {
            if (child != null) {
                children.put(child.component(), child);
            }
        }
        return children;
    }

    /** The data generator, when it runs. */
    public DataGenerator generator() {
        return generator;
    }

    /** Stops every component in reverse order of start. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervisor.close();
        while (!running.isEmpty()) {
            AutoCloseable component = running.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
        leftovers.clear();
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", pidFile, e.toString());
            }
        }
        LOG.info("sluice stopped");
    }

    /**
     * Whether a live process is a Sluice launcher (or this process, which may embed a platform). A pid file outlives its
     * launcher (kill -9, reboot) and its number may now be any program's; one whose command line cannot be read
     * counts as a launcher, to be safe.
     */
    private static boolean isLauncher(ProcessHandle process) {
        return process.pid() == ProcessHandle.current().pid()
                || process.info().commandLine().map(line -> line.contains(SluiceUp.class.getName())).orElse(true);
    }

    /** The state holds credentials, data and logs: only its owner may enter it (on file systems with POSIX rights). */
    private static void ownerOnly(Path state) throws IOException {
        try {
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            LOG.warn("cannot restrict {} to its owner on this file system", state);
        }
    }

    private void prepareStateDir() {
        Path state = settings.stateDir();
        try {
            Path pid = state.resolve("sluice.pid");
            if (Files.exists(pid)) {
                long other = Long.parseLong(Files.readString(pid).trim());
                if (ProcessHandle.of(other).filter(ProcessHandle::isAlive).filter(Devstack::isLauncher).isPresent()) {
                    throw new ComponentStartException("sluice", "another platform (pid " + other
                            + ") already runs on " + state + "; stop it first (./sluice down)");
                }
            }
            // A platform killed before it could stop its children (kill -9 of the launcher) may have left some
            // running on these ports and this state; stop them before anything else starts.
            leftovers.stopAll();
            if (settings.fresh()) {
                deleteRecursively(state);
            }
            Files.createDirectories(state);
            ownerOnly(state);
            Files.writeString(pid, Long.toString(ProcessHandle.current().pid()));
            pidFile = pid;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the state directory " + state, e);
        }
    }

    /**
     * Writes the platform's secrets file, which Connect reads through its file config provider. The PII hash key is
     * generated once and kept: a new key would hash the same email differently and break joins over time.
     */
    private Properties writeSecrets(Path file) {
        try {
            Properties secrets = Secrets.read(file);
            // Connect needs only the connectors' roles; earlier versions kept the owner's password here.
            secrets.remove("postgres.user");
            secrets.remove("postgres.password");
            secrets.putAll(DemoConnectors.postgresSecrets(postgres()));
            secrets.setProperty("s3.access.key", s3().accessKey());
            secrets.setProperty("s3.secret.key", s3().secretKey());
            if (!secrets.containsKey(PII_HASH_KEY)) {
                secrets.setProperty(PII_HASH_KEY, Secrets.random());
            }
            Secrets.writePrivate(file, secrets, "read by Kafka Connect's file config provider; never commit");
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Where the API token is kept: beside, not inside, the directory Connect's file provider may read. */
    public Path apiTokenFile() {
        return settings.stateDir().resolve("api-token");
    }

    /** The API token streams-app requires for changes: generated on the first start, kept afterwards. */
    public String apiToken() {
        try {
            return Secrets.keptIn(apiTokenFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + apiTokenFile(), e);
        }
    }

    private static void requireFreeIfFixed(String component, int port) {
        if (port != 0) {
            Ports.requireFree(component, port);
        }
    }

    private <T extends AutoCloseable> T track(T component) {
        running.push(component);
        return component;
    }

    /** Tracks a child process that is restarted when it dies, and records it as ours in the state directory. */
    private <T extends ServerProcess> Supervised<T> supervise(String component, T first, Supplier<T> starter) {
        leftovers.record(component, first);
        return track(supervisor.supervise(component, first, starter));
    }

    private static <T> CompletableFuture<T> async(ExecutorService executor, Supplier<T> start) {
        return CompletableFuture.supplyAsync(start, executor);
    }

    /**
     * The result of {@code future}; when any of the parallel starts failed, waits for all of them, stops those
     * that came up, and rethrows the failure, so that nothing is left running.
     */
    private <T> T await(CompletableFuture<T> future, CompletableFuture<?>... all) {
        try {
            return future.join();
        } catch (CompletionException e) {
            for (CompletableFuture<?> other : all) {
                try {
                    Object started = other.join();
                    if (started instanceof AutoCloseable closeable && !running.contains(closeable)) {
                        running.push(closeable);
                    }
                } catch (CompletionException ignored) {
                    // The first failure is the one reported; the others are in their logs.
                }
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
