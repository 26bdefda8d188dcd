package dev.sluice.app.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds keyed topics that exist with fewer partitions than {@code sluice.topics.partitions}: the app places keys
 * by the configured count while those topics, their records and the state built on them follow another, so raising
 * them later splits keyed state (e.g. the prod overlay's 12 applied to a cluster that ran with 3). What then
 * happens is the {@link Mode}: where every topic's count is declared to match the app's (Kubernetes, whose
 * KafkaTopics say so) the app refuses to start; where connectors create their topics with their own counts (the
 * embedded platform and compose: the JDBC source's single-partition topics) it says so in one line and goes on;
 * with an explicit {@code SLUICE_ALLOW_REPARTITION=true}, given once the application reset is planned
 * (docs/deploy.md, "Scaling"), it raises them. Topics with more partitions are left to {@code KeyPlacementCheck},
 * which reroutes their records; missing ones are created later with the configured count.
 */
public final class PartitionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionGuard.class);
    private static final long TIMEOUT_SECONDS = 60;

    /** What to do about topics with fewer partitions than configured. */
    public enum Mode {
        /** Log them in one line and go on. */
        WARN,
        /** Refuse to start, naming them. */
        REFUSE,
        /** Raise them to the configured count. */
        RAISE
    }

    private PartitionGuard() {
    }

    /**
     * Checks {@code topics} against {@code partitions} and acts on the short ones as {@code mode} says.
     *
     * @return the short topics with their partition counts, as found
     * @throws IllegalStateException under {@link Mode#REFUSE}, naming every short topic with its count
     */
    public static Map<String, Integer> check(Admin admin, Collection<String> topics, int partitions, Mode mode) {
        Map<String, Integer> shortTopics = new TreeMap<>();
        try {
            for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(topics).topicNameValues()
                    .entrySet()) {
                Integer existing = partitionsOf(topic.getValue());
                if (existing != null && existing < partitions) {
                    shortTopics.put(topic.getKey(), existing);
                }
            }
            if (shortTopics.isEmpty()) {
                return shortTopics;
            }
            if (mode == Mode.WARN) {
                LOG.warn("keyed topics have fewer partitions than sluice.topics.partitions={}: {}; left as they are "
                        + "(raising them moves keys and splits the state built on them; docs/deploy.md, Scaling)",
                        partitions, shortTopics);
                return shortTopics;
            }
            if (mode == Mode.REFUSE) {
                throw new IllegalStateException("keyed topics have fewer partitions than sluice.topics.partitions="
                        + partitions + ": " + shortTopics + "; raising them moves keys to other partitions and splits "
                        + "the state built on them. Reset the application, then start once with "
                        + "SLUICE_ALLOW_REPARTITION=true to raise them (docs/deploy.md, Scaling)");
            }
            Map<String, NewPartitions> raise = new TreeMap<>();
            shortTopics.keySet().forEach(name -> raise.put(name, NewPartitions.increaseTo(partitions)));
            admin.createPartitions(raise).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.warn("partitions raised to {} as SLUICE_ALLOW_REPARTITION allows, from {}", partitions, shortTopics);
            return shortTopics;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check or raise the partitions of " + topics, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking partitions", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe topics within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** The partition count of a described topic, or null when it does not exist. */
    private static Integer partitionsOf(KafkaFuture<TopicDescription> description)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return description.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }
}
