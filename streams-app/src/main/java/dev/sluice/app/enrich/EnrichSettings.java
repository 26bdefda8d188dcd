package dev.sluice.app.enrich;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of the enrichment ({@code sluice.enrich.*}).
 * <ul>
 * <li>{@code reporting-currency}: the currency every amount is converted to (ISO 4217), default EUR;</li>
 * <li>{@code reference-wait}: how long an order or line waits for a customer, product, order or exchange rate that
 * is not known yet before it is emitted with flags (wall-clock time), default 30s;</li>
 * <li>{@code retry-interval}: how often waiting records retry, default 1s;</li>
 * <li>{@code terminal-statuses}: order statuses after which an order changes no more, default DELIVERED, CANCELLED,
 * REFUNDED;</li>
 * <li>{@code terminal-order-ttl}: how long an order in a terminal status stays in {@code enrich.orders} after its
 * last change (wall-clock time), default 7d;</li>
 * <li>{@code order-max-age}: how long any order, terminal or not, stays there after its last change, default
 * 90d;</li>
 * <li>{@code order-sweep-interval}: how often the expiry sweep runs, default 1s;</li>
 * <li>{@code order-sweep-budget}: how many orders one sweep looks at, default 1000 (it resumes where the last
 * stopped, so a store of N orders is covered every N / budget sweeps).</li>
 * </ul>
 */
@ConfigurationProperties("sluice.enrich")
public class EnrichSettings {

    private String reportingCurrency = "EUR";
    private Duration referenceWait = Duration.ofSeconds(30);
    private Duration retryInterval = Duration.ofSeconds(1);
    private Set<String> terminalStatuses = Set.of("DELIVERED", "CANCELLED", "REFUNDED");
    private Duration terminalOrderTtl = Duration.ofDays(7);
    private Duration orderMaxAge = Duration.ofDays(90);
    private Duration orderSweepInterval = Duration.ofSeconds(1);
    private int orderSweepBudget = 1000;

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

    public Set<String> getTerminalStatuses() {
        return terminalStatuses;
    }

    public void setTerminalStatuses(List<String> terminalStatuses) {
        if (terminalStatuses == null || terminalStatuses.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("sluice.enrich.terminal-statuses: expected a list of statuses");
        }
        this.terminalStatuses = Set.copyOf(terminalStatuses);
    }

    public Duration getTerminalOrderTtl() {
        return terminalOrderTtl;
    }

    public void setTerminalOrderTtl(Duration terminalOrderTtl) {
        if (terminalOrderTtl == null || terminalOrderTtl.toMillis() < 1) {
            throw new IllegalArgumentException("sluice.enrich.terminal-order-ttl: must be at least 1ms");
        }
        this.terminalOrderTtl = terminalOrderTtl;
    }

    public Duration getOrderMaxAge() {
        return orderMaxAge;
    }

    public void setOrderMaxAge(Duration orderMaxAge) {
        if (orderMaxAge == null || orderMaxAge.toMillis() < 1) {
            throw new IllegalArgumentException("sluice.enrich.order-max-age: must be at least 1ms");
        }
        this.orderMaxAge = orderMaxAge;
    }

    public Duration getOrderSweepInterval() {
        return orderSweepInterval;
    }

    public void setOrderSweepInterval(Duration orderSweepInterval) {
        if (orderSweepInterval == null || orderSweepInterval.toMillis() < 1) {
            throw new IllegalArgumentException("sluice.enrich.order-sweep-interval: must be at least 1ms");
        }
        this.orderSweepInterval = orderSweepInterval;
    }

    public int getOrderSweepBudget() {
        return orderSweepBudget;
    }

    public void setOrderSweepBudget(int orderSweepBudget) {
        if (orderSweepBudget < 1) {
            throw new IllegalArgumentException("sluice.enrich.order-sweep-budget: must be at least 1, got "
                    + orderSweepBudget);
        }
        this.orderSweepBudget = orderSweepBudget;
    }
}
