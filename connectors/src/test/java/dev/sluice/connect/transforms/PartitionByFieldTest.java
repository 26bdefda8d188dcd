package dev.sluice.connect.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class PartitionByFieldTest {

    private static final Schema ORDER = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA)
            .field("status", Schema.STRING_SCHEMA).build();
    private static final Schema ITEM_KEY = SchemaBuilder.struct().field("order_id", Schema.INT64_SCHEMA)
            .field("line_no", Schema.INT32_SCHEMA).build();
    private static final Schema ITEM = SchemaBuilder.struct().field("order_id", Schema.INT64_SCHEMA)
            .field("line_no", Schema.INT32_SCHEMA).field("quantity", Schema.INT32_SCHEMA).build();

    @Test
    void aRecordGoesWhereKafkasDefaultPartitionerPutsTheFieldsTextAsAKey() {
        PartitionByField<SourceRecord> byId = transform("id", 3);
        StringSerializer text = new StringSerializer();
        Set<Integer> used = new HashSet<>();
        for (long id = 1; id <= 500; id++) {
            int expected = BuiltInPartitioner.partitionForKey(text.serialize("t", Long.toString(id)), 3);
            int placed = byId.apply(order(id)).kafkaPartition();
            assertEquals(expected, placed, "order " + id);
            used.add(placed);
        }
        assertEquals(Set.of(0, 1, 2), used);
    }

    @Test
    void anOrderAndItsLinesLandOnTheSamePartition() {
        PartitionByField<SourceRecord> orders = transform("id", 12);
        PartitionByField<SourceRecord> items = transform("order_id", 12);
        for (long id = 1; id <= 200; id++) {
            int order = orders.apply(order(id)).kafkaPartition();
            for (int line = 1; line <= 3; line++) {
                assertEquals(order, items.apply(item(id, line)).kafkaPartition(), "order " + id + " line " + line);
            }
        }
    }

    @Test
    void aRecordWithoutValueIsPlacedByItsKey() {
        PartitionByField<SourceRecord> items = transform("order_id", 5);
        Struct key = new Struct(ITEM_KEY).put("order_id", 77L).put("line_no", 1);
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "bronze.pg.order_items", null, ITEM_KEY, key,
                null, null);
        assertEquals(items.apply(item(77, 2)).kafkaPartition(), items.apply(tombstone).kafkaPartition());
    }

    @Test
    void everythingButThePartitionIsKept() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("h", "v");
        Struct value = new Struct(ORDER).put("id", 9L).put("status", "NEW");
        SourceRecord in = new SourceRecord(Map.of("p", 1), Map.of("o", 2), "bronze.pg.orders", 0, null, "k", ORDER,
                value, 1234L, headers);
        SourceRecord out = transform("id", 7).apply(in);
        assertEquals("bronze.pg.orders", out.topic());
        assertEquals("k", out.key());
        assertSame(value, out.value());
        assertEquals(1234L, out.timestamp());
        assertEquals("v", out.headers().lastWithName("h").value());
        assertEquals(Map.of("o", 2), out.sourceOffset());
    }

    @Test
    void aRecordWithTheFieldNowhereFailsNamingTheField() {
        SourceRecord record = order(1);
        DataException e = assertThrows(DataException.class, () -> transform("order_id", 3).apply(record));
        assertTrue(e.getMessage().contains("'order_id'") && e.getMessage().contains("bronze.pg.orders"),
                e.getMessage());
    }

    @Test
    void configurationErrorsNameTheKey() {
        PartitionByField<SourceRecord> smt = new PartitionByField<>();
        ConfigException noField = assertThrows(ConfigException.class, () -> smt.configure(Map.of("partitions", "3")));
        assertTrue(noField.getMessage().contains("field"), noField.getMessage());
        ConfigException zero = assertThrows(ConfigException.class,
                () -> smt.configure(Map.of("field", "id", "partitions", "0")));
        assertTrue(zero.getMessage().contains("partitions"), zero.getMessage());
    }

    private static PartitionByField<SourceRecord> transform(String field, int partitions) {
        PartitionByField<SourceRecord> smt = new PartitionByField<>();
        smt.configure(Map.of("field", field, "partitions", Integer.toString(partitions)));
        return smt;
    }

    private static SourceRecord order(long id) {
        return new SourceRecord(Map.of(), Map.of(), "bronze.pg.orders", null, null, null, ORDER,
                new Struct(ORDER).put("id", id).put("status", "NEW"));
    }

    private static SourceRecord item(long orderId, int line) {
        return new SourceRecord(Map.of(), Map.of(), "bronze.pg.order_items", null, ITEM_KEY,
                new Struct(ITEM_KEY).put("order_id", orderId).put("line_no", line), ITEM,
                new Struct(ITEM).put("order_id", orderId).put("line_no", line).put("quantity", 1));
    }
}
