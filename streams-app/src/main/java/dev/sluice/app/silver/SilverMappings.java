package dev.sluice.app.silver;

import java.time.Instant;
import java.util.function.Function;

import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.ingest.Decoded;
import dev.sluice.app.validate.FieldValues;
import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.internal.OrderEvent;
import dev.sluice.schemas.internal.OrderItem;

/**
 * The mapping of the bronze entities that are not datasets (orders and order items, on their way to the
 * enrichment) to their internal form; every other entity is a dataset specification (docs/datasets.md). Bronze CDC
 * values are the row's columns plus Debezium's {@code __op}, {@code __lsn}, {@code __source_ts_ms} and {@code __deleted} ("true" for a delete, which carries the
 * row's last values). Validation has checked types and presence before, so a failure here is a bug and goes to
 * {@code dlq.enrich} through the processing exception handler.
 */
public final class SilverMappings {

    private SilverMappings() {
    }

    /** Orders keyed by order id, on their way to the enrichment. */
    public static SilverMapping<OrderEvent> orders() {
        return keyedBy("id", v -> {
            Order order = Order.newBuilder()
                    .setOrderId(FieldValues.longValue(v, "id"))
                    .setCustomerId(FieldValues.longValue(v, "customer_id"))
                    .setStatus(FieldValues.string(v, "status"))
                    .setCurrency(FieldValues.string(v, "currency"))
                    .setTotalAmount(Money.price(FieldValues.decimal(v, "total_amount")))
                    .setOrderedAt(millis(FieldValues.timestamp(v, "ordered_at")))
                    .setUpdatedAt(millis(FieldValues.timestamp(v, "updated_at")))
                    .setDeleted(deleted(v))
                    .setOp(op(v))
                    .setSourceLsn(FieldValues.longValue(v, "__lsn"))
                    .setSourceTs(sourceTs(v))
                    .build();
            return OrderEvent.newBuilder().setOrderId(order.getOrderId()).setOrder(order).build();
        });
    }

    /** Order lines keyed by their order's id, so that they meet their order in the enrichment. */
    public static SilverMapping<OrderEvent> orderItems() {
        return keyedBy("order_id", v -> {
            OrderItem item = OrderItem.newBuilder()
                    .setOrderId(FieldValues.longValue(v, "order_id"))
                    .setLineNo(FieldValues.intValue(v, "line_no"))
                    .setProductId(FieldValues.longValue(v, "product_id"))
                    .setQuantity(FieldValues.intValue(v, "quantity"))
                    .setUnitPrice(Money.price(FieldValues.decimal(v, "unit_price")))
                    .setDeleted(deleted(v))
                    .setOp(op(v))
                    .setSourceLsn(FieldValues.longValue(v, "__lsn"))
                    .setSourceTs(sourceTs(v))
                    .build();
            return OrderEvent.newBuilder().setOrderId(item.getOrderId()).setLineNo(item.getLineNo())
                    .setItem(item).build();
        });
    }

    /** The tombstone of an order line as an internal event: its identity only. */
    public static OrderEvent itemTombstone(Decoded record) {
        GenericRecord key = (GenericRecord) record.key();
        return OrderEvent.newBuilder().setOrderId(FieldValues.longValue(key, "order_id"))
                .setLineNo(FieldValues.intValue(key, "line_no")).setTombstone(true).build();
    }

    /** The tombstone of an order as an internal event: its identity only. */
    public static OrderEvent orderTombstone(Decoded record) {
        GenericRecord key = (GenericRecord) record.key();
        return OrderEvent.newBuilder().setOrderId(FieldValues.longValue(key, "id")).setTombstone(true).build();
    }

    /** A mapping keyed by the numeric field {@code field} of the bronze key (or of the value, if the key lacks it). */
    private static <V> SilverMapping<V> keyedBy(String field, Function<GenericRecord, V> value) {
        return new SilverMapping<>() {
            @Override
            public String key(Decoded record) {
                return keyField(record, field);
            }

            @Override
            public V value(Decoded record, long timestamp) {
                return value.apply(record.value());
            }
        };
    }

    private static String keyField(Decoded record, String field) {
        Object key = record.key();
        if (key instanceof GenericRecord k && k.getSchema().getField(field) != null) {
            return String.valueOf(FieldValues.longValue(k, field));
        }
        if (record.value() != null) {
            return String.valueOf(FieldValues.longValue(record.value(), field));
        }
        throw new IllegalArgumentException("the key has no field " + field);
    }

    static boolean deleted(GenericRecord value) {
        return "true".equals(FieldValues.string(value, "__deleted")) || "d".equals(op(value));
    }

    static String op(GenericRecord value) {
        String op = FieldValues.string(value, "__op");
        return op == null ? "r" : op;
    }

    private static Instant sourceTs(GenericRecord value) {
        Long ms = FieldValues.longValue(value, "__source_ts_ms");
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    /** Avro timestamp-millis holds milliseconds; finer source precision is cut, not rounded. */
    private static Instant millis(Instant time) {
        return time == null ? null : Instant.ofEpochMilli(time.toEpochMilli());
    }
}
