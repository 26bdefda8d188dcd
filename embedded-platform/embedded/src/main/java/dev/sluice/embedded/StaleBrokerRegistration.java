package dev.sluice.embedded;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * Fences the broker registration that a killed single-node Kafka left behind, before the node starts again.
 *
 * <p>Why: the node is broker and controller in one process. Killed ({@code kill -9} of the launcher), it never
 * unregisters, so the restarted controller still sees the old broker incarnation as live and refuses the new one
 * (DUPLICATE_BROKER_REGISTRATION) until that old session times out, some 9 s later. Meanwhile the restarted broker
 * reads its old leaderships from the metadata log and loads the transaction coordinator, which resumes writing the
 * markers of a transaction that was in PrepareCommit when the node died. When the old session is then fenced, every
 * partition loses its leader for a moment, and Kafka's marker sender drops the markers it cannot route ("Couldn't
 * find leader endpoint … likely deleted already and hence can be skipped") while the coordinator completes the
 * transaction. Those partitions keep a transaction open forever: their last stable offset never advances, Kafka
 * Streams waits for stable committed offsets and streams-app never starts again (LauncherCrashIT, 2 runs in 5).
 *
 * <p>The cure here: when the log directory has no clean-shutdown marker, the node first runs as a controller alone,
 * with a one-second broker session, until the old registration is fenced; no broker runs, so no marker can be
 * dropped. The node then starts as usual, registers at once (a fenced registration has no session) and leads its
 * partitions again before any coordinator loads.
 */
final class StaleBrokerRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(StaleBrokerRegistration.class);
    /** Kafka writes it in every log directory on a clean shutdown and removes it on start-up. */
    private static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";
    private static final String SESSION_TIMEOUT_MS = "1000";
    private static final String HEARTBEAT_INTERVAL_MS = "250";
    /** Many times the session above: the controller fences a stale broker as soon as its session expires. */
    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectName ACTIVE_CONTROLLERS =
            objectName("kafka.controller:type=KafkaController,name=ActiveControllerCount");
    private static final ObjectName FENCED_BROKERS =
            objectName("kafka.controller:type=KafkaController,name=FencedBrokerCount");

    private StaleBrokerRegistration() {
    }

    /** Whether the node in {@code logs} was stopped without a clean shutdown (and has run before). */
    static boolean leftBy(Path logs) {
        return Files.exists(logs.resolve("meta.properties")) && !Files.exists(logs.resolve(CLEAN_SHUTDOWN_MARKER));
    }

    /**
     * Runs the node of {@code nodeProperties} as a controller only, until its broker is fenced, and stops it.
     *
     * @throws ComponentStartException when the controller does not start
     */
    static void fence(Properties nodeProperties, String component) {
        long began = System.nanoTime();
        // Kafka's gauges are JVM-wide: with another Kafka node in this JVM (a test JVM), they may be that node's.
        boolean gaugesAreOurs = !ManagementFactory.getPlatformMBeanServer().isRegistered(ACTIVE_CONTROLLERS);
        KafkaRaftServer controller;
        try {
            controller = new KafkaRaftServer(KafkaConfig.fromProps(controllerOnly(nodeProperties), false),
                    Time.SYSTEM);
            controller.startup();
        } catch (RuntimeException e) {
            throw new ComponentStartException(component, "controller failed to start to fence the broker that a"
                    + " killed node left registered: " + e.getMessage(), null, e);
        }
        try {
            if (gaugesAreOurs) {
                Await.until("the killed node's broker registration fenced", FENCE_TIMEOUT,
                        StaleBrokerRegistration::brokerFenced);
                LOG.info("kafka was not shut down cleanly: fenced its old broker registration before starting, in {}"
                        + " ms", (System.nanoTime() - began) / 1_000_000);
            } else {
                awaitSessionsExpired(nodeProperties);
                LOG.info("kafka was not shut down cleanly: let its old broker registration's session expire before"
                        + " starting, in {} ms (another Kafka node in this JVM: no gauges to watch)",
                        (System.nanoTime() - began) / 1_000_000);
            }
        } catch (Await.AwaitTimeoutException e) {
            // Starting anyway is what Kafka would do; the risk is the one described above, not a certainty.
            LOG.warn("kafka was not shut down cleanly and its old broker registration was not seen fenced within {};"
                    + " starting anyway: a transaction committing at the kill may stay open"
                    + " (docs/operations.md, hanging transactions)", FENCE_TIMEOUT);
        } finally {
            controller.shutdown();
            controller.awaitShutdown();
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static Properties controllerOnly(Properties node) {
        Properties p = new Properties();
        p.putAll(node);
        p.put("process.roles", "controller");
        String controllerListener = node.getProperty("listeners").replaceFirst(".*(CONTROLLER://[^,]+).*", "$1");
        p.put("listeners", controllerListener);
        p.remove("advertised.listeners");
        p.remove("inter.broker.listener.name");
        p.put("broker.session.timeout.ms", SESSION_TIMEOUT_MS);
        p.put("broker.heartbeat.interval.ms", HEARTBEAT_INTERVAL_MS);
        return p;
    }

    /** The active controller's count of fenced brokers: positive once the single broker's registration is fenced. */
    private static boolean brokerFenced() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return ((Number) server.getAttribute(ACTIVE_CONTROLLERS, "Value")).intValue() == 1
                && ((Number) server.getAttribute(FENCED_BROKERS, "Value")).intValue() >= 1;
    }

    /**
     * Without gauges of its own: waits until this controller leads the metadata quorum, then for several broker
     * sessions. The controller fences a broker whose session expired within 125 ms (its periodic check).
     */
    private static void awaitSessionsExpired(Properties node) {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, node.getProperty("controller.quorum.voters")
                .replaceFirst("^\\d+@", ""));
        int nodeId = Integer.parseInt(node.getProperty("node.id"));
        try (Admin client = Admin.create(admin)) {
            Await.until("the controller leads the metadata quorum", FENCE_TIMEOUT,
                    () -> client.describeMetadataQuorum().quorumInfo().get().leaderId() == nodeId);
        }
        long sessions = 4 * Long.parseLong(SESSION_TIMEOUT_MS);
        try {
            Thread.sleep(sessions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Await.AwaitTimeoutException("interrupted waiting " + sessions + " ms for the session", e);
        }
    }
}
