package dev.sluice.connect.s3;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/** Test records of the demo domain: orders with every kind of field the sink must carry. */
final class Orders {

    static final Schema ITEM = SchemaBuilder.struct().name("dev.sluice.test.Item")
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", Schema.INT32_SCHEMA)
            .build();

    static final Schema V1 = orderSchema(1, false);
    static final Schema V2 = orderSchema(2, true);

    private Orders() {
    }

    private static Schema orderSchema(int version, boolean withCoupon) {
        SchemaBuilder builder = SchemaBuilder.struct().name("dev.sluice.test.Order").version(version)
                .field("id", Schema.INT64_SCHEMA)
                .field("customer", Schema.STRING_SCHEMA)
                .field("region", Schema.OPTIONAL_STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").build())
                .field("created_at", Timestamp.SCHEMA)
                .field("ship_date", Date.builder().optional().build())
                .field("ship_time", Time.builder().optional().build())
                .field("items", SchemaBuilder.array(ITEM).build())
                .field("attributes", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                        .optional().build());
        if (withCoupon) {
            builder.field("coupon", Schema.OPTIONAL_STRING_SCHEMA);
        }
        return builder.build();
    }

    /** The order with id {@code offset}, as Kafka would deliver it at {@code offset}. */
    static SinkRecord record(String topic, int partition, long offset, Instant createdAt, String region, Schema schema) {
        Struct value = new Struct(schema)
                .put("id", offset)
                .put("customer", "customer-" + (offset % 17))
                .put("region", region)
                .put("amount", amount(offset))
                .put("created_at", java.util.Date.from(createdAt))
                .put("ship_date", offset % 3 == 0 ? null : new java.util.Date(20_000L * 86_400_000L))
                .put("ship_time", new java.util.Date(45_296_789L))
                .put("items", List.of(new Struct(ITEM).put("sku", "sku-" + offset).put("qty", (int) (offset % 5) + 1)))
                .put("attributes", offset % 2 == 0 ? Map.of("channel", "web") : null);
        if (schema.field("coupon") != null) {
            value.put("coupon", "SAVE" + offset);
        }
        // The Kafka timestamp is deliberately a different day: partitioning must use created_at.
        return new SinkRecord(topic, partition, null, null, schema, value, offset, 0L, TimestampType.CREATE_TIME);
    }

    static SinkRecord record(String topic, int partition, long offset, Instant createdAt) {
        return record(topic, partition, offset, createdAt, "EU", V1);
    }

    static BigDecimal amount(long offset) {
        return BigDecimal.valueOf(offset * 101 + 99, 2);
    }
}
