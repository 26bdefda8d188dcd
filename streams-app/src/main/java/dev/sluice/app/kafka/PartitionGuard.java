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
 * Refuses to start on keyed topics that exist with fewer partitions than {@code sluice.topics.partitions}: the app
 * would place keys by the new count while the topics, their records and the state built on them follow the old
 * one, so keyed state silently splits (e.g. the prod overlay's 12 applied to a cluster that ran with 3). Only an
 * explicit {@code SLUICE_ALLOW_REPARTITION=true}, given once the application reset is planned (docs/deploy.md,
 * "Scaling"), lets it go on, and then it raises those topics to the configured count. Topics with more partitions
 * are left to {@code KeyPlacementCheck}, which reroutes their records; missing ones are created later with the
 * configured count.
 */
public final class PartitionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionGuard.class);
    private static final long TIMEOUT_SECONDS = 60;

    private PartitionGuard() {
    }

    /**
     * Checks {@code topics} against {@code partitions}; raises the short ones when {@code allowRaise}, otherwise
     * throws naming every short topic with its count.
     */
    public static void check(Admin admin, Collection<String> topics, int partitions, boolean allowRaise) {
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
                return;
            }
            if (!allowRaise) {
                throw new IllegalStateException("keyed topics have fewer partitions than sluice.topics.partitions="
                        + partitions + ": " + shortTopics + "; raising them moves keys to other partitions and splits "
                        + "the state built on them. Reset the application, then start once with "
                        + "SLUICE_ALLOW_REPARTITION=true to raise them (docs/deploy.md, Scaling)");
            }
            Map<String, NewPartitions> raise = new TreeMap<>();
            shortTopics.keySet().forEach(name -> raise.put(name, NewPartitions.increaseTo(partitions)));
            admin.createPartitions(raise).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.warn("partitions raised to {} as SLUICE_ALLOW_REPARTITION allows, from {}", partitions, shortTopics);
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
