package dev.sluice.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one node), running in this JVM
 * and bound to 127.0.0.1. Its log directory survives restarts: a second start on the same directory resumes
 * with the same topics and offsets.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String COMPONENT = "kafka";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code dataDir} if it is new, starts the broker and waits until it answers.
     *
     * @param port the client (PLAINTEXT) port; 0 picks a free one
     * @param controllerPort the KRaft controller port; 0 picks a free one
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
        int clientPort = Ports.orFree(port);
        int quorumPort = Ports.orFree(controllerPort);
        Ports.requireFree(COMPONENT, clientPort);
        Ports.requireFree(COMPONENT + " controller", quorumPort);
        Properties props = serverProperties(dataDir, clientPort, quorumPort);
        // Before formatting: a directory formatted just now has no clean-shutdown marker either, and no broker.
        boolean killed = StaleBrokerRegistration.leftBy(dataDir.resolve("logs"));
        formatIfNew(dataDir, props);
        if (killed) {
            StaleBrokerRegistration.fence(props, COMPONENT);
        }
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            throw new ComponentStartException(COMPONENT, "broker failed to start: " + e.getMessage(), null, e);
        }
        KafkaBroker broker = new KafkaBroker(server, Ports.HOST + ":" + clientPort);
        try {
            Await.until("kafka answers", START_TIMEOUT, broker::answers);
        } catch (Await.AwaitTimeoutException e) {
            broker.close();
            throw new ComponentStartException(COMPONENT, "broker did not answer within " + START_TIMEOUT, null, e);
        }
        LOG.info("kafka broker up bootstrap={} dataDir={}", broker.bootstrapServers, dataDir);
        return broker;
    }

    /** {@code 127.0.0.1:<port>} for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties every client needs to reach this broker. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(clientProperties());
    }

    /**
     * Creates the topics if they do not exist yet and waits until every partition has a leader, so that a producer
     * started right after never meets a topic that is not ready (seen here: the first batch timed out).
     */
    public void createTopics(int partitions, String... topics) {
        createTopics(partitions, Map.of(), topics);
    }

    /** {@link #createTopics(int, String...)} with topic-level configs, e.g. cleanup.policy=compact. */
    public void createTopics(int partitions, Map<String, String> configs, String... topics) {
        try (Admin admin = admin()) {
            List<NewTopic> newTopics = Arrays.stream(topics)
                    .map(t -> new NewTopic(t, partitions, (short) 1).configs(configs))
                    .toList();
            admin.createTopics(newTopics).values().forEach((topic, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted creating topic " + topic, e);
                }
            });
            Await.until("leaders for " + Arrays.toString(topics), TOPIC_TIMEOUT, () -> {
                Map<String, TopicDescription> descriptions = admin.describeTopics(List.of(topics))
                        .allTopicNames().get();
                return descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            });
        }
    }

    private boolean answers() throws Exception {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get().isEmpty();
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("kafka broker did not shut down cleanly: {}", e.toString());
        }
    }

    /**
     * How long a partition leader keeps trying to add a partition to a transaction (transactions v2 adds it on the
     * first produce request) while the coordinator still completes the producer's previous transaction. The default,
     * 100 ms, is shorter than completing a Kafka Streams commit over ~100 partitions on a loaded machine: the leader
     * then answers CONCURRENT_TRANSACTIONS, a later pipelined batch for a partition the producer never wrote reaches
     * it first and is refused ("OutOfOrderSequenceException … Expected sequence 0 … with no existing state"),
     * logged as a broker ERROR, until the client's retries sort it out (docs/topology.md). Static: set at start-up,
     * also in docker-compose.yml and the Strimzi Kafka resource.
     */
    public static final String TXN_ADD_PARTITION_WAIT = "add.partitions.to.txn.retry.backoff.max.ms";
    public static final String TXN_ADD_PARTITION_WAIT_MS = "1000";

    private static Properties serverProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // Topics are created explicitly (by the platform, Connect or Streams), never by a typo in a client.
        p.put("auto.create.topics.enable", "false");
        // A single node: every internal topic has one replica. Fewer partitions make a cold start faster.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put(TXN_ADD_PARTITION_WAIT, TXN_ADD_PARTITION_WAIT_MS);
        return p;
    }

    private static void formatIfNew(Path dataDir, Properties props) {
        Path logs = dataDir.resolve("logs");
        if (Files.exists(logs.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logs);
            Path config = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "written by sluice-embedded to format the log directory");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int code;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                code = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                        "--config", config.toString(), "--ignore-formatted"}, print);
            }
            if (code != 0) {
                throw new ComponentStartException(COMPONENT, "formatting " + logs + " failed: "
                        + output.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + logs, e);
        }
    }
}
