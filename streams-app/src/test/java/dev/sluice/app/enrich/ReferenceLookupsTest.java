package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import dev.sluice.app.serde.InternalSerde;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.ExchangeRate;
import dev.sluice.schemas.silver.Product;

/** Reference rows are decoded once and remembered until a reference table changes, then read again. */
class ReferenceLookupsTest {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private final KeyValueStore<Long, Customer> customers = store("customers", Serdes.Long(), Customer.class);
    private final KeyValueStore<Long, Product> products = store("products", Serdes.Long(), Product.class);
    private final KeyValueStore<String, ExchangeRate> rates = store("rates", Serdes.String(), ExchangeRate.class);
    private final ReferenceChanges changes = new ReferenceChanges();
    private final ReferenceLookups lookups = new ReferenceLookups(changes, customers, products, rates,
            new CurrencyConverter("EUR"));

    @Test
    void aRowIsReadAgainOnlyAfterAReferenceChanged() {
        customers.put(1L, customer(1, "EMEA"));
        assertEquals("EMEA", lookups.customer(1).getRegion());

        customers.put(1L, customer(1, "APAC"));
        assertEquals("EMEA", lookups.customer(1).getRegion(), "remembered while no change was announced");
        changes.changed();
        assertEquals("APAC", lookups.customer(1).getRegion(), "a change empties the memory");
    }

    @Test
    void anUnknownRowIsFoundOnceItArrives() {
        assertNull(lookups.customer(2));
        assertNull(lookups.product(7));
        assertNull(lookups.rate("USD"));

        customers.put(2L, customer(2, "AMER"));
        products.put(7L, new Product(7L, "SKU-7", "Espresso machine 7", "kitchen", new BigDecimal("50.00"), "EUR",
                DAY, false, "c", 1L, DAY));
        rates.put("USD", new ExchangeRate(1L, "USD", new BigDecimal("0.92000000"), DAY, DAY));
        changes.changed();

        assertEquals("AMER", lookups.customer(2).getRegion());
        assertEquals("SKU-7", lookups.product(7).getSku());
        assertEquals(new BigDecimal("0.9200000000"), lookups.rate("USD"));
        assertEquals(new BigDecimal("1.0000000000"), lookups.rate("EUR"));
        assertNull(lookups.rate(null));
    }

    private static Customer customer(long id, String region) {
        return new Customer(id, "hash", "A*** L***", region, "GB", DAY, DAY, false, "c", 1L, DAY);
    }

    private static <K, V extends SpecificRecord> KeyValueStore<K, V> store(String name, Serde<K> keys,
            Class<V> type) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys,
                InternalSerde.of(type)).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
