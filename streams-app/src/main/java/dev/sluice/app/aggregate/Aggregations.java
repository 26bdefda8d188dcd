package dev.sluice.app.aggregate;

import java.math.BigDecimal;
import java.time.Instant;

import dev.sluice.app.silver.Money;
import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;
import dev.sluice.schemas.silver.CleanUserEvent;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * The gold aggregates as pure functions: what counts, at which event time, and how a record adds to an aggregate.
 * Revenue sums reporting-currency amounts; a record without one (no exchange rate) is counted but adds no revenue,
 * and is counted as unconverted.
 */
public final class Aggregations {

    /** Region of orders whose customer was not known. */
    public static final String UNKNOWN_REGION = "UNKNOWN";

    private static final BigDecimal ZERO = Money.price(BigDecimal.ZERO);

    private Aggregations() {
    }

    /** New rows and snapshot reads count; updates and deletes do not change what was sold. */
    public static boolean counts(String op, boolean deleted) {
        return !deleted && ("c".equals(op) || "r".equals(op));
    }

    /** Order time of a line; its commit time in the source when the order was never known. */
    public static long eventTime(EnrichedOrderLine line) {
        if (line.getOrderedAt() != null) {
            return line.getOrderedAt().toEpochMilli();
        }
        return line.getSourceTs() != null ? line.getSourceTs().toEpochMilli() : 0L;
    }

    public static String region(EnrichedOrder order) {
        return order.getCustomerRegion() == null ? UNKNOWN_REGION : order.getCustomerRegion();
    }

    public static ProductRevenueHourly emptyProductHour() {
        return new ProductRevenueHourly(0L, null, Instant.EPOCH, Instant.EPOCH, "", ZERO, 0L, 0L, 0L);
    }

    public static ProductRevenueHourly addLine(Long productId, EnrichedOrderLine line, ProductRevenueHourly hour) {
        long start = Windows.start(eventTime(line), AggregateSettings.HOUR.toMillis());
        BigDecimal amount = line.getLineAmountReporting();
        return new ProductRevenueHourly(productId,
                line.getProductName() != null ? line.getProductName() : hour.getProductName(),
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + AggregateSettings.HOUR.toMillis()),
                line.getReportingCurrency(),
                amount == null ? hour.getRevenue() : Money.price(hour.getRevenue().add(amount)),
                hour.getQuantity() + line.getQuantity(),
                hour.getLineCount() + 1,
                hour.getUnconvertedLineCount() + (amount == null ? 1 : 0));
    }

    public static RegionRevenueDaily emptyRegionDay() {
        return new RegionRevenueDaily("", Instant.EPOCH, Instant.EPOCH, "", ZERO, 0L, 0L);
    }

    public static RegionRevenueDaily addOrder(String region, EnrichedOrder order, RegionRevenueDaily day) {
        long start = Windows.start(order.getOrderedAt().toEpochMilli(), AggregateSettings.DAY.toMillis());
        BigDecimal amount = order.getTotalAmountReporting();
        return new RegionRevenueDaily(region, Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + AggregateSettings.DAY.toMillis()), order.getReportingCurrency(),
                amount == null ? day.getRevenue() : Money.price(day.getRevenue().add(amount)),
                day.getOrderCount() + 1,
                day.getUnconvertedOrderCount() + (amount == null ? 1 : 0));
    }

    public static CustomerTotals emptyCustomer() {
        return new CustomerTotals(0L, "", ZERO, 0L, 0L, Instant.EPOCH, Instant.EPOCH);
    }

    public static CustomerTotals addOrder(Long customerId, EnrichedOrder order, CustomerTotals totals) {
        BigDecimal amount = order.getTotalAmountReporting();
        Instant at = order.getOrderedAt();
        boolean first = totals.getOrderCount() == 0;
        return new CustomerTotals(customerId, order.getReportingCurrency(),
                amount == null ? totals.getRevenue() : Money.price(totals.getRevenue().add(amount)),
                totals.getOrderCount() + 1,
                totals.getUnconvertedOrderCount() + (amount == null ? 1 : 0),
                first || at.isBefore(totals.getFirstOrderAt()) ? at : totals.getFirstOrderAt(),
                first || at.isAfter(totals.getLastOrderAt()) ? at : totals.getLastOrderAt());
    }

    public static UserSession emptySession() {
        return new UserSession("", Instant.EPOCH, Instant.EPOCH, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    public static UserSession addEvent(String userId, CleanUserEvent event, UserSession session) {
        Instant at = event.getOccurredAt();
        boolean first = session.getEventCount() == 0;
        String type = event.getEventType();
        return new UserSession(userId,
                first || at.isBefore(session.getSessionStart()) ? at : session.getSessionStart(),
                first || at.isAfter(session.getSessionEnd()) ? at : session.getSessionEnd(),
                session.getEventCount() + 1,
                session.getPageViews() + ("page_view".equals(type) ? 1 : 0),
                session.getSearches() + ("search".equals(type) ? 1 : 0),
                session.getAddToCart() + ("add_to_cart".equals(type) ? 1 : 0),
                session.getRemoveFromCart() + ("remove_from_cart".equals(type) ? 1 : 0),
                session.getCheckouts() + ("checkout".equals(type) ? 1 : 0));
    }

    public static UserSession mergeSessions(String userId, UserSession a, UserSession b) {
        if (a.getEventCount() == 0) {
            return b;
        }
        if (b.getEventCount() == 0) {
            return a;
        }
        return new UserSession(userId,
                a.getSessionStart().isBefore(b.getSessionStart()) ? a.getSessionStart() : b.getSessionStart(),
                a.getSessionEnd().isAfter(b.getSessionEnd()) ? a.getSessionEnd() : b.getSessionEnd(),
                a.getEventCount() + b.getEventCount(),
                a.getPageViews() + b.getPageViews(),
                a.getSearches() + b.getSearches(),
                a.getAddToCart() + b.getAddToCart(),
                a.getRemoveFromCart() + b.getRemoveFromCart(),
                a.getCheckouts() + b.getCheckouts());
    }
}
