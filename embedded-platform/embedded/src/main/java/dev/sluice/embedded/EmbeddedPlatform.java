package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
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

    private final Path stateDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Server<KafkaBroker> kafka;
    private final Server<ConnectWorker> connect;
    private final Server<PostgresServer> postgres;
    private final Server<S3Server> s3;
    private final Server<RegistryServer> registry;

    public EmbeddedPlatform(Path stateDir) {
        this.stateDir = stateDir;
        this.kafka = new Server<>(() -> KafkaBroker.start(stateDir.resolve("kafka"), 0, 0));
        this.connect = new Server<>(() -> ConnectWorker.start(kafka().bootstrapServers(), 0, "sluice-test-connect",
                null, Map.of()));
        this.postgres = new Server<>(() -> PostgresServer.start(stateDir.resolve("postgres"), 0));
        this.s3 = new Server<>(() -> S3Server.start(stateDir.resolve("s3"), 0));
        this.registry = new Server<>(() -> RegistryServer.start(stateDir.resolve("registry"), 0));
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
     * Starts the servers of {@code components} (those of {@link KafkaBroker}, {@link ConnectWorker},
     * {@link PostgresServer}, {@link S3Server}, {@link RegistryServer}; others are ignored) at the same time, Connect
     * once its broker answers, and returns when all run. A test needing several would otherwise wait for each start
     * in turn, 15 s and more of JVM and server start-up that do not depend on each other.
     *
     * @throws ComponentStartException of the first server that failed to start
     */
    public void startTogether(Collection<Class<?>> components) {
        List<Supplier<?>> starts = new ArrayList<>();
        Map<Class<?>, Supplier<?>> servers = Map.of(KafkaBroker.class, this::kafka, ConnectWorker.class,
                this::connect, PostgresServer.class, this::postgres, S3Server.class, this::s3, RegistryServer.class,
                this::registry);
        components.stream().distinct().map(servers::get).filter(start -> start != null).forEach(starts::add);
        if (starts.size() < 2) {
            starts.forEach(Supplier::get);
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
