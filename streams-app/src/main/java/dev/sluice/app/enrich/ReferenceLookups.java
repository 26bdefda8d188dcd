package dev.sluice.app.enrich;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.ExchangeRate;
import dev.sluice.schemas.silver.Product;

/**
 * One enricher's decoded view of the reference tables. The global stores hold bytes, so every lookup decoded the
 * customer, product or rates again and computed the rate (a division at scale 10) for every order and line; here each
 * is decoded and computed once and remembered until a reference table changes ({@link ReferenceChanges}, bumped by
 * the global thread after every change), at most {@value #MAX_ENTRIES} entries per table.
 */
final class ReferenceLookups {

    private static final int MAX_ENTRIES = 10_000;

    private final ReferenceChanges changes;
    private final ReadOnlyKeyValueStore<Long, Customer> customers;
    private final ReadOnlyKeyValueStore<Long, Product> products;
    private final ReadOnlyKeyValueStore<String, ExchangeRate> rates;
    private final CurrencyConverter converter;
    private final Map<Long, Optional<Customer>> customerMemo = new HashMap<>();
    private final Map<Long, Optional<Product>> productMemo = new HashMap<>();
    private final Map<String, Optional<BigDecimal>> rateMemo = new HashMap<>();
    private long version = -1;

    ReferenceLookups(ReferenceChanges changes, ReadOnlyKeyValueStore<Long, Customer> customers,
            ReadOnlyKeyValueStore<Long, Product> products, ReadOnlyKeyValueStore<String, ExchangeRate> rates,
            CurrencyConverter converter) {
        this.changes = changes;
        this.customers = customers;
        this.products = products;
        this.rates = rates;
        this.converter = converter;
    }

    /** The customer, or null when it is not known (yet). */
    Customer customer(long id) {
        return remembered(customerMemo).computeIfAbsent(id, key -> Optional.ofNullable(customers.get(key)))
                .orElse(null);
    }

    /** The product, or null when it is not known (yet). */
    Product product(long id) {
        return remembered(productMemo).computeIfAbsent(id, key -> Optional.ofNullable(products.get(key)))
                .orElse(null);
    }

    /** Units of reporting currency per unit of {@code currency}; null when unknown (see {@link CurrencyConverter}). */
    BigDecimal rate(String currency) {
        if (currency == null) {
            return null;
        }
        return remembered(rateMemo).computeIfAbsent(currency,
                key -> Optional.ofNullable(converter.rate(key, rates))).orElse(null);
    }

    /**
     * {@code memo}, emptied (with the others) when a reference changed since they were filled. The version is read
     * before the store: a change that lands in between is seen as a new version at the next lookup.
     */
    private <K, V> Map<K, V> remembered(Map<K, V> memo) {
        long current = changes.version();
        if (current != version || memo.size() >= MAX_ENTRIES) {
            customerMemo.clear();
            productMemo.clear();
            rateMemo.clear();
            version = current;
        }
        return memo;
    }
}
