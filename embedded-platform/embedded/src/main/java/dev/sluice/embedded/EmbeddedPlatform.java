package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of one test JVM, each started on first use on free ports under one state directory, and stopped
 * together in reverse order of start. Thread-safe: each server starts once, however many threads ask for it.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

    /** The types of the platform's servers, as {@link #server} and {@link #startTogether} take them. */
    public static final Set<Class<?>> SERVER_TYPES = Set.of(KafkaBroker.class, ConnectWorker.class,
            PostgresServer.class, S3Server.class, RegistryServer.class);

    private final Path stateDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Server<KafkaBroker> kafka;
    private final Server<ConnectWorker> connect;
    private final Server<PostgresServer> postgres;
    private final Server<S3Server> s3;
    private final Server<RegistryServer> registry;
    /** Each server by its type, for {@link #server} and {@link #startTogether}. */
    private final Map<Class<?>, Server<?>> servers;

    public EmbeddedPlatform(Path stateDir) {
        this.stateDir = stateDir;
        this.kafka = new Server<>(() -> KafkaBroker.start(stateDir.resolve("kafka"), 0, 0));
        this.connect = new Server<>(() -> ConnectWorker.start(kafka().bootstrapServers(), 0, "sluice-test-connect",
                null, Map.of()));
        this.postgres = new Server<>(() -> PostgresServer.start(stateDir.resolve("postgres"), 0));
        this.s3 = new Server<>(() -> S3Server.start(stateDir.resolve("s3"), 0));
        this.registry = new Server<>(() -> RegistryServer.start(stateDir.resolve("registry"), 0));
        this.servers = Map.of(KafkaBroker.class, kafka, ConnectWorker.class, connect, PostgresServer.class, postgres,
                S3Server.class, s3, RegistryServer.class, registry);
    }

    public Path stateDir() {
        return stateDir;
    }

    public KafkaBroker kafka() {
        return kafka.get();
    }

    public ConnectWorker connect() {
        return connect.get();
    }

    public PostgresServer postgres() {
        return postgres.get();
    }

    public S3Server s3() {
        return s3.get();
    }

    public RegistryServer registry() {
        return registry.get();
    }

    /**
     * The running server of {@code type}, one of {@link #SERVER_TYPES}, started on first use.
     *
     * @throws IllegalArgumentException for any other type
     */
    public Object server(Class<?> type) {
        Server<?> server = servers.get(type);
        if (server == null) {
            throw new IllegalArgumentException("not a server of the embedded platform: " + type.getName());
        }
        return server.get();
    }

    /**
     * Starts the servers among {@code types} (those of {@link #SERVER_TYPES}; others are ignored) at the same time,
     * Connect once its broker answers, and returns when all run. A test needing several would otherwise wait for each
     * start in turn, 15 s and more of JVM and server start-up that do not depend on each other.
     *
     * @throws ComponentStartException of the first server that failed to start
     */
    public void startTogether(Collection<Class<?>> types) {
        List<Server<?>> starts = types.stream().distinct().map(servers::get).filter(Objects::nonNull)
                .toList();
        if (starts.size() < 2) {
            starts.forEach(Server::get);
            return;
        }
        ExecutorService starter = Executors.newFixedThreadPool(starts.size());
        try {
            CompletableFuture.allOf(starts.stream().map(start -> CompletableFuture.runAsync(start::get, starter))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        } finally {
            starter.shutdown();
        }
    }

    @Override
    public void close() {
        synchronized (started) {
            while (!started.isEmpty()) {
                AutoCloseable component = started.pop();
                try {
                    component.close();
                } catch (Exception e) {
                    LOG.warn("stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }

    /** One server, started on the first {@link #get()} and then kept; recorded for {@link #close()} once it runs. */
    private final class Server<T extends AutoCloseable> {

        private final Supplier<T> starter;
        private T running;

        Server(Supplier<T> starter) {
            this.starter = starter;
        }

        synchronized T get() {
            if (running == null) {
                running = starter.get();
                synchronized (started) {
                    started.push(running);
                }
            }
            return running;
        }
    }
}
