package dev.sluice.app.enrich;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import dev.sluice.app.silver.Money;
import dev.sluice.schemas.silver.ExchangeRate;

/**
 * Converts amounts to the reporting currency with the latest known rates. Rates are kept as value of one unit in
 * EUR, so any currency pair goes through EUR: rate(from -> to) = rate_to_eur(from) / rate_to_eur(to).
 */
public final class CurrencyConverter {

    private static final String EUR = "EUR";

    private final String reportingCurrency;

    public CurrencyConverter(String reportingCurrency) {
        this.reportingCurrency = reportingCurrency;
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    /** Units of reporting currency per unit of {@code currency}; null when a needed rate is unknown. */
    public BigDecimal rate(String currency, ReadOnlyKeyValueStore<String, ExchangeRate> rates) {
        if (currency == null) {
            return null;
        }
        if (currency.equals(reportingCurrency)) {
            return Money.conversionRate(BigDecimal.ONE);
        }
        BigDecimal from = toEur(currency, rates);
        BigDecimal to = toEur(reportingCurrency, rates);
        if (from == null || to == null) {
            return null;
        }
        return from.divide(to, Money.RATE_SCALE, RoundingMode.HALF_EVEN);
    }

    /** {@code amount * rate}, rounded half-even to cents; null when the rate is null. */
    public static BigDecimal convert(BigDecimal amount, BigDecimal rate) {
        if (amount == null || rate == null) {
            return null;
        }
        return amount.multiply(rate).setScale(Money.AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal toEur(String currency, ReadOnlyKeyValueStore<String, ExchangeRate> rates) {
        if (EUR.equals(currency)) {
            return BigDecimal.ONE;
        }
        ExchangeRate rate = rates.get(currency);
        return rate == null ? null : rate.getRateToEur();
    }
}
