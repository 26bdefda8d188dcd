package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

import dev.sluice.app.serde.InternalSerde;
import dev.sluice.schemas.internal.Order;

/**
 * Entries without a timestamp, as a RocksDB store of the previous version holds them after the upgrade (Kafka
 * Streams reads them with timestamp -1), are stamped by the sweep that meets them and expire a full TTL later.
 * (Through the topology such an entry cannot be made: a changelog record cannot carry timestamp -1.)
 */
class OrderExpiryTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TTL = Duration.ofDays(7);

    @Test
    void anEntryWithoutTimestampIsStampedAndExpiresAFullTtlLater() {
        EnrichSettings settings = new EnrichSettings();
        settings.setTerminalOrderTtl(TTL);
        OrderExpiry expiry = new OrderExpiry(settings);
        TimestampedKeyValueStore<String, Order> store = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("enrich.orders"), Serdes.String(), InternalSerde.of(Order.class))
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.put("1", ValueAndTimestamp.make(order(1), -1));

        assertEquals(0, expiry.sweep(store, T.toEpochMilli()));
        assertEquals(T.toEpochMilli(), store.get("1").timestamp(), "stamped with the sweep's time");
        assertEquals(0, expiry.sweep(store, T.plus(TTL).minusMillis(1).toEpochMilli()));
        assertEquals(1, expiry.sweep(store, T.plus(TTL).toEpochMilli()));
        assertNull(store.get("1"));
    }

    private static Order order(long id) {
        return Order.newBuilder().setOrderId(id).setCustomerId(1).setStatus("DELIVERED").setCurrency("EUR")
                .setTotalAmount(new BigDecimal("10.00")).setOrderedAt(T).setUpdatedAt(T).setOp("u").build();
    }
}
