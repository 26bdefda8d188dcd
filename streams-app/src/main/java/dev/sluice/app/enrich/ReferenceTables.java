package dev.sluice.app.enrich;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.ExchangeRate;
import dev.sluice.schemas.silver.Product;

/**
 * How silver records update the global reference tables. A delete (flag or tombstone) removes the row, so that
 * later orders no longer find it. Exchange rates are kept per currency, the one with the latest {@code valid_from}
 * winning (ties: latest update, then highest id), whatever order they arrive in.
 */
public final class ReferenceTables {

    private ReferenceTables() {
    }

    public static final ReferenceTableLoader.Update<Long, Customer> CUSTOMERS = (table, key, value) -> {
        if (value == null || value.getDeleted()) {
            table.delete(value == null ? Long.parseLong(key) : value.getCustomerId());
        } else {
            table.put(value.getCustomerId(), value);
        }
    };

    public static final ReferenceTableLoader.Update<Long, Product> PRODUCTS = (table, key, value) -> {
        if (value == null || value.getDeleted()) {
            table.delete(value == null ? Long.parseLong(key) : value.getProductId());
        } else {
            table.put(value.getProductId(), value);
        }
    };

    public static final ReferenceTableLoader.Update<String, ExchangeRate> RATES = (table, key, value) -> {
        if (value == null) {
            removeRate(table, Long.parseLong(key));
            return;
        }
        ExchangeRate current = table.get(value.getCurrency());
        if (current == null || current.getRateId() == value.getRateId() || newer(value, current)) {
            table.put(value.getCurrency(), value);
        }
    };

    static boolean newer(ExchangeRate candidate, ExchangeRate current) {
        int byValidity = candidate.getValidFrom().compareTo(current.getValidFrom());
        if (byValidity != 0) {
            return byValidity > 0;
        }
        int byUpdate = candidate.getUpdatedAt().compareTo(current.getUpdatedAt());
        if (byUpdate != 0) {
            return byUpdate > 0;
        }
        return candidate.getRateId() > current.getRateId();
    }

    private static void removeRate(KeyValueStore<String, ExchangeRate> table, long rateId) {
        List<String> currencies = new ArrayList<>();
        try (KeyValueIterator<String, ExchangeRate> all = table.all()) {
            while (all.hasNext()) {
                KeyValue<String, ExchangeRate> entry = all.next();
                if (entry.value.getRateId() == rateId) {
                    currencies.add(entry.key);
                }
            }
        }
        currencies.forEach(table::delete);
    }
}
