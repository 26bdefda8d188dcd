package dev.sluice.devstack.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data generator on its own, as the {@code generator} service of docker-compose.yml runs it: settings from
 * environment variables ({@link GeneratorSettings}), the user events topic created if it does not exist yet
 * (brokers there do not create topics on first use), then shop changes and user events until the process is
 * told to stop (SIGTERM runs the shutdown hook, which stops the generator and flushes its producers). One status
 * line per minute; nothing is logged per record.
 */
public final class GeneratorMain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorMain.class);
    static final Duration STATUS_INTERVAL = Duration.ofMinutes(1);
    /** How often the heartbeat file is renewed while the generator makes progress. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Configs of the user events topic when it is created here: a bronze topic keeps a week, as the source
     * templates' {@code topic.retention.ms} default and streams-app's {@code sluice.topics.retention.bronze}
     * (docs/lake/retention.md).
     */
    public static final Map<String, String> TOPIC_CONFIG = Map.of(TopicConfig.RETENTION_MS_CONFIG, "604800000");

    private final GeneratorSettings settings;
    private final DataGenerator generator;
    private final Path heartbeat;
    private final ScheduledExecutorService reporter;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long reportedShopChanges;
    private long reportedEvents;
    private long beatShopChanges = -1;
    private long beatEvents = -1;
    private boolean closed;

    private GeneratorMain(GeneratorSettings settings, DataGenerator generator, Path heartbeat) {
        this.settings = settings;
        this.generator = generator;
        this.heartbeat = heartbeat;
        this.reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "data-generator-status");
            thread.setDaemon(true);
            return thread;
        });
        long status = STATUS_INTERVAL.toMillis();
        reporter.scheduleAtFixedRate(this::logStatus, status, status, TimeUnit.MILLISECONDS);
        if (heartbeat != null) {
            reporter.scheduleAtFixedRate(this::beat, 0, HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs the generator until SIGTERM; exits with 2 when a variable is missing or malformed, 1 when start fails. */
    public static void main(String[] args) {
        GeneratorMain running;
        try {
            running = start(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.error("data generator not started: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LOG.error("data generator could not start: {}", e.toString());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "data-generator-shutdown"));
        running.awaitStop();
    }

    /**
     * Reads the settings from {@code env}, makes sure the topic exists and starts generating.
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     * @throws IllegalStateException when the topic cannot be created or gets no leaders in time
     */
    public static GeneratorMain start(Map<String, String> env) {
        GeneratorSettings settings = GeneratorSettings.fromEnvironment(env);
        LOG.info("data generator starting {}", settings);
        ensureTopic(settings);
        DataGenerator generator = DataGenerator.start(settings.shopDatabase(), settings.bootstrapServers(),
                settings.registryUrl(), settings.topic(), settings.shopOpsPerSecond(), settings.eventsPerSecond(),
                settings.badRatio());
        return new GeneratorMain(settings, generator,
                settings.heartbeatFile().isEmpty() ? null : Path.of(settings.heartbeatFile()));
    }

    /** Row changes made so far in the shop database. */
    public long shopChanges() {
        return generator.shopChanges();
    }

    /** User events produced so far, good and bad. */
    public long eventsSent() {
        return generator.eventsSent();
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops generating and flushes what was produced. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        reporter.shutdownNow();
        generator.close();
        stopped.countDown();
    }

    private synchronized void logStatus() {
        long shop = generator.shopChanges();
        long events = generator.eventsSent();
        LOG.info("data generator status shopChanges={} (+{} in {}s) eventsSent={} (+{}) topic={}", shop,
                shop - reportedShopChanges, STATUS_INTERVAL.toSeconds(), events, events - reportedEvents,
                settings.topic());
        reportedShopChanges = shop;
        reportedEvents = events;
    }

    /**
     * Renews the heartbeat file when both streams moved since the last beat (a stream at rate 0 counts as
     * moving), so that a container health check sees a stuck generator as unhealthy, not only a dead one.
     */
    private synchronized void beat() {
        long shop = generator.shopChanges();
        long events = generator.eventsSent();
        boolean shopMoved = shop > beatShopChanges || settings.shopOpsPerSecond() == 0;
        boolean eventsMoved = events > beatEvents || settings.eventsPerSecond() == 0;
        beatShopChanges = shop;
        beatEvents = events;
        if (shopMoved && eventsMoved) {
            try {
                Files.writeString(heartbeat, "shopChanges=" + shop + " eventsSent=" + events + "\n");
            } catch (IOException e) {
                LOG.warn("cannot write the heartbeat file {}: {}", heartbeat, e.toString());
            }
        }
    }

    /** Creates the topic unless it exists, and waits until every partition has a leader. */
    static void ensureTopic(GeneratorSettings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.bootstrapServers(), AdminClientConfig.CLIENT_ID_CONFIG, "sluice-data-generator-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TOPIC_TIMEOUT.toMillis()))) {
            String topic = settings.topic();
            if (describe(admin, topic).isEmpty()) {
                try {
                    // The broker's default replication factor: one on a single broker, more on a cluster.
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(settings.topicPartitions()),
                            Optional.empty()).configs(TOPIC_CONFIG)))
                            .all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("created topic {} partitions={} config={}", topic, settings.topicPartitions(),
                            TOPIC_CONFIG);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
                    }
                }
            }
            long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
            while (true) {
                Optional<TopicDescription> description = describe(admin, topic);
                if (description.isPresent() && description.get().partitions().stream()
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has partitions without a leader after "
                            + TOPIC_TIMEOUT.toSeconds() + "s");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topic " + settings.topic(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " did not create topic "
                    + settings.topic() + " within " + TOPIC_TIMEOUT.toSeconds() + "s", e);
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String topic) throws InterruptedException,
            TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause(), e);
        }
    }
}
