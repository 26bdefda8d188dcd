package dev.sluice.app.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.connect.transforms.PartitionByField;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The enricher's idea of an order's partition is the repartition's (Kafka's default partitioner on the id's text,
 * as it was before placement was checked, so existing state stays put) and the CDC connector's transform.
 */
class KeyPlacementTest {

    private static final Schema ORDER = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ITEM = SchemaBuilder.struct().field("order_id", Schema.INT64_SCHEMA)
            .field("line_no", Schema.INT32_SCHEMA).build();

    @Test
    void anOrdersPartitionIsWhereTheDefaultPartitionerPutsItsKey() {
        StringSerializer keys = new StringSerializer();
        for (int partitions : new int[] {1, 3, 12}) {
            for (long id = 0; id < 1_000; id++) {
                String key = Long.toString(id);
                assertEquals(BuiltInPartitioner.partitionForKey(keys.serialize("enrich.order-events", key),
                        partitions), KeyPlacement.partitionOf(key, partitions), key + " of " + partitions);
            }
        }
    }

    @Test
    void theConnectorTransformPutsOrdersAndItemsOnTheirOrdersPartition() {
        for (int partitions : new int[] {3, 12}) {
            PartitionByField<SourceRecord> orders = transform("id", partitions);
            PartitionByField<SourceRecord> items = transform("order_id", partitions);
            for (long id = 1; id <= 1_000; id++) {
                int home = KeyPlacement.partitionOf(Long.toString(id), partitions);
                assertEquals(home, orders.apply(record("bronze.pg.orders", ORDER, new Struct(ORDER).put("id", id)))
                        .kafkaPartition(), "order " + id);
                assertEquals(home, items.apply(record("bronze.pg.order_items", ITEM,
                        new Struct(ITEM).put("order_id", id).put("line_no", 1))).kafkaPartition(), "item of " + id);
            }
        }
    }

    private static PartitionByField<SourceRecord> transform(String field, int partitions) {
        PartitionByField<SourceRecord> smt = new PartitionByField<>();
        smt.configure(Map.of("field", field, "partitions", Integer.toString(partitions)));
        return smt;
    }

    private static SourceRecord record(String topic, Schema schema, Struct value) {
        return new SourceRecord(Map.of(), Map.of(), topic, null, null, null, schema, value);
    }
}
