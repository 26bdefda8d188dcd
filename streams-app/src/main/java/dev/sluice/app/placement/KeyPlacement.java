package dev.sluice.app.placement;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a keyed stage keeps a key's state: the partition Kafka's default partitioner gives the key's UTF-8 bytes,
 * among {@code sluice.topics.partitions}. It is where a repartition by that key puts a record, and where a source
 * that partitions by the same key puts it already, in which case the record needs no repartition:
 * <ul>
 * <li>order events, keyed by the order id's decimal text: the connectors' {@code PartitionByField} transform puts
 * {@code bronze.pg.orders} by {@code id} and {@code bronze.pg.order_items} by {@code order_id} there;</li>
 * <li>user events, keyed by their bronze key bytes (the user id): an application producing them with that key and
 * the default partitioner puts them there.</li>
 * </ul>
 */
public final class KeyPlacement {

    private KeyPlacement() {
    }

    /** The partition of {@code key} among {@code partitions}. */
    public static int partitionOf(String key, int partitions) {
        return partitionOf(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The partition of the key serialized as {@code keyBytes} among {@code partitions}. */
    public static int partitionOf(byte[] keyBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    /** A value and whether its record arrived on its key's partition. */
    public record Checked<V>(V value, boolean here) {
    }
}
