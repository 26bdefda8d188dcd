package dev.sluice.embedded;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of one test JVM, each started on first use on free ports under one state directory, and stopped
 * together in reverse order of start. Thread-safe.
 */
public final class EmbeddedPlatform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final Path stateDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private KafkaBroker kafka;
    private ConnectWorker connect;
    private PostgresServer postgres;
    private S3Server s3;
    private RegistryServer registry;

    public EmbeddedPlatform(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    public synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = track(() -> KafkaBroker.start(stateDir.resolve("kafka"), 0, 0));
        }
        return kafka;
    }

    public synchronized ConnectWorker connect() {
        if (connect == null) {
            String bootstrap = kafka().bootstrapServers();
            connect = track(() -> ConnectWorker.start(bootstrap, 0, "sluice-test-connect", null, Map.of()));
        }
        return connect;
    }

    public synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = track(() -> PostgresServer.start(stateDir.resolve("postgres"), 0));
        }
        return postgres;
    }

    public synchronized S3Server s3() {
        if (s3 == null) {
            s3 = track(() -> S3Server.start(stateDir.resolve("s3"), 0));
        }
        return s3;
    }

    public synchronized RegistryServer registry() {
        if (registry == null) {
            registry = track(() -> RegistryServer.start(stateDir.resolve("registry"), 0));
        }
        return registry;
    }

    private <T extends AutoCloseable> T track(Supplier<T> starter) {
        T component = starter.get();
        started.push(component);
        return component;
    }

    @Override
    public synchronized void close() {
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
