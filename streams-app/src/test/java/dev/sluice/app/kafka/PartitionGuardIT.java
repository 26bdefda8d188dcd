package dev.sluice.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.KafkaBroker;

/**
 * On a real broker: keyed topics with fewer partitions than configured stop the start in strict deployments, are
 * named in others, and are raised only when that is allowed.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PartitionGuardIT {

    private static final Duration METADATA = Duration.ofSeconds(30);

    @Test
    void refusesTopicsWithFewerPartitionsAndLeavesThemAsTheyAre(KafkaBroker kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String short1 = "bronze.pg.orders.guard-" + run;
        String matching = "silver.orders.guard-" + run;
        String wider = "gold.customer_totals.guard-" + run;
        String missing = "bronze.pg.order_items.guard-" + run;
        try (Admin admin = admin(kafka)) {
            create(admin, short1, 3);
            create(admin, matching, 12);
            create(admin, wider, 16);

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PartitionGuard.check(
                    admin, List.of(short1, matching, wider, missing), 12, PartitionGuard.Mode.REFUSE));

            assertTrue(refused.getMessage().contains(short1 + "=3"), refused.getMessage());
            assertTrue(refused.getMessage().contains("SLUICE_ALLOW_REPARTITION=true"), refused.getMessage());
            assertFalse(refused.getMessage().contains(matching), "a topic with the configured count is fine");
            assertFalse(refused.getMessage().contains(wider), "a wider topic is KeyPlacementCheck's business");
            assertFalse(refused.getMessage().contains(missing), "a missing topic is created with the count");
            assertEquals(3, partitions(admin, short1), "nothing may change without the flag");

            assertEquals(Map.of(short1, 3), PartitionGuard.check(admin, List.of(short1, matching, wider, missing), 12,
                    PartitionGuard.Mode.WARN), "outside strict deployments the short topics are named, not refused");
            assertEquals(3, partitions(admin, short1), "and left as they are");
        }
    }

    @Test
    void raisesTheShortTopicsWhenAllowed(KafkaBroker kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String short1 = "bronze.pg.customers.guard-" + run;
        String short2 = "silver.customers.guard-" + run;
        String wider = "gold.user_sessions.guard-" + run;
        try (Admin admin = admin(kafka)) {
            create(admin, short1, 3);
            create(admin, short2, 1);
            create(admin, wider, 16);

            PartitionGuard.check(admin, List.of(short1, short2, wider), 12, PartitionGuard.Mode.RAISE);

            assertEquals(12, raisedPartitions(admin, short1, 12));
            assertEquals(12, raisedPartitions(admin, short2, 12));
            assertEquals(16, partitions(admin, wider), "partitions are never lowered");
        }
    }

    @Test
    void passesWhenEveryExistingTopicHasTheConfiguredCount(KafkaBroker kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "silver.products.guard-" + run;
        try (Admin admin = admin(kafka)) {
            create(admin, topic, 3);

            assertEquals(Map.of(), PartitionGuard.check(admin, List.of(topic, "silver.missing.guard-" + run), 3,
                    PartitionGuard.Mode.REFUSE));

            assertEquals(3, partitions(admin, topic));
        }
    }

    private static Admin admin(KafkaBroker kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** Creates the topic and waits until the broker's metadata shows it, as an existing topic would be. */
    private static void create(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) -1))).all().get(30, TimeUnit.SECONDS);
        Await.until(topic + " described with " + partitions + " partitions", METADATA,
                () -> partitions(admin, topic) == partitions);
    }

    /** The topic's partitions as the broker's metadata has them, or 0 while it does not know the topic yet. */
    private static int partitions(Admin admin, String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw e;
        }
    }

    /** The raised count, once the broker's metadata has caught up with the new partitions. */
    private static int raisedPartitions(Admin admin, String topic, int expected) throws Exception {
        Await.until(topic + " described with " + expected + " partitions", METADATA,
                () -> partitions(admin, topic) >= expected);
        return partitions(admin, topic);
    }
}
