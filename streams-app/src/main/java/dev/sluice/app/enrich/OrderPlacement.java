package dev.sluice.app.enrich;

import dev.sluice.schemas.internal.OrderEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where the enricher keeps an order's state: the partition Kafka's default partitioner gives the order id's decimal
 * text as a key, of {@code sluice.topics.partitions}. It is where the {@code enrich.order-events} repartition has
 * always put an order's events (they are keyed by that text), so state written before placement was checked stays
 * where it is; and it is where the connectors' {@code PartitionByField} transform puts {@code bronze.pg.orders} by
 * {@code id} and {@code bronze.pg.order_items} by {@code order_id}, so that such events need no repartition.
 */
public final class OrderPlacement {

    private OrderPlacement() {
    }

    /** The partition of the order whose events are keyed by {@code orderKey}, among {@code partitions}. */
    public static int partitionOf(String orderKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(orderKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** An order event and whether it arrived on its order's partition. */
    public record Checked(OrderEvent event, boolean here) {
    }
}
