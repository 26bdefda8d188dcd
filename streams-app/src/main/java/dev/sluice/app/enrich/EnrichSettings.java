package dev.sluice.app.enrich;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of the enrichment ({@code sluice.enrich.*}).
 * <ul>
 * <li>{@code reporting-currency}: the currency every amount is converted to (ISO 4217), default EUR;</li>
 * <li>{@code reference-wait}: how long an order or line waits for a customer, product, order or exchange rate that
 * is not known yet before it is emitted with flags (wall-clock time), default 30s;</li>
 * <li>{@code retry-interval}: how often waiting records retry, default 1s.</li>
 * </ul>
 */
@ConfigurationProperties("sluice.enrich")
public class EnrichSettings {

    private String reportingCurrency = "EUR";
    private Duration referenceWait = Duration.ofSeconds(30);
    private Duration retryInterval = Duration.ofSeconds(1);

    public String getReportingCurrency() {
        return reportingCurrency;
    }

    public void setReportingCurrency(String reportingCurrency) {
        if (reportingCurrency == null || !reportingCurrency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("sluice.enrich.reporting-currency: expected an ISO 4217 code like EUR, got "
                    + reportingCurrency);
        }
        this.reportingCurrency = reportingCurrency;
    }

    public Duration getReferenceWait() {
        return referenceWait;
    }

    public void setReferenceWait(Duration referenceWait) {
        if (referenceWait == null || referenceWait.isNegative()) {
            throw new IllegalArgumentException("sluice.enrich.reference-wait: must be zero or positive");
        }
        this.referenceWait = referenceWait;
    }

    public Duration getRetryInterval() {
        return retryInterval;
    }

    public void setRetryInterval(Duration retryInterval) {
        if (retryInterval == null || retryInterval.toMillis() < 1) {
            throw new IllegalArgumentException("sluice.enrich.retry-interval: must be at least 1ms");
        }
        this.retryInterval = retryInterval;
    }
}
