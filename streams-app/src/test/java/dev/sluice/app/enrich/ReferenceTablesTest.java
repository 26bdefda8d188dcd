package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import dev.sluice.app.serde.InternalSerde;
import dev.sluice.schemas.silver.ExchangeRate;

/** Exchange rates: the latest validity wins whatever the arrival order; conversion through EUR. */
class ReferenceTablesTest {

    private static final Instant DAY1 = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void theLatestValidRateWinsAndAnUpdateOfTheSameRateReplacesIt() {
        KeyValueStore<String, ExchangeRate> rates = store();
        ReferenceTables.RATES.apply(rates, "2", rate(2, "USD", "0.95", DAY2));
        ReferenceTables.RATES.apply(rates, "1", rate(1, "USD", "0.90", DAY1));
        assertEquals(new BigDecimal("0.95000000"), rates.get("USD").getRateToEur());
        ReferenceTables.RATES.apply(rates, "2", rate(2, "USD", "0.96", DAY2));
        assertEquals(new BigDecimal("0.96000000"), rates.get("USD").getRateToEur());
        ReferenceTables.RATES.apply(rates, "2", null);
        assertNull(rates.get("USD"), "a tombstone of the current rate removes it");
    }

    @Test
    void conversionGoesThroughEur() {
        KeyValueStore<String, ExchangeRate> rates = store();
        ReferenceTables.RATES.apply(rates, "1", rate(1, "USD", "0.92", DAY1));
        ReferenceTables.RATES.apply(rates, "2", rate(2, "GBP", "1.17", DAY1));
        assertEquals(new BigDecimal("0.9200000000"), new CurrencyConverter("EUR").rate("USD", rates));
        assertEquals(new BigDecimal("1.0869565217"), new CurrencyConverter("USD").rate("EUR", rates));
        assertEquals(new BigDecimal("1.2717391304"), new CurrencyConverter("USD").rate("GBP", rates));
        assertEquals(new BigDecimal("1.0000000000"), new CurrencyConverter("CHF").rate("CHF", rates));
        assertNull(new CurrencyConverter("EUR").rate("JPY", rates));
        assertEquals(new BigDecimal("127.17"), CurrencyConverter.convert(new BigDecimal("100.00"),
                new CurrencyConverter("USD").rate("GBP", rates)));
    }

    private static KeyValueStore<String, ExchangeRate> store() {
        KeyValueStore<String, ExchangeRate> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("rates"),
                Serdes.String(), InternalSerde.of(ExchangeRate.class)).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    private static ExchangeRate rate(long id, String currency, String rate, Instant validFrom) {
        return new ExchangeRate(id, currency, new BigDecimal(rate).setScale(8), validFrom, validFrom);
    }
}
