package dev.sluice.app.query;

import java.math.BigDecimal;
import java.time.Instant;

import org.apache.kafka.streams.kstream.Window;

import dev.sluice.schemas.gold.CustomerTotals;
import dev.sluice.schemas.gold.ProductRevenueHourly;
import dev.sluice.schemas.gold.RegionRevenueDaily;
import dev.sluice.schemas.gold.UserSession;

/**
 * The API's views of the gold values: amounts as plain decimal strings (no float rounding, no exponent), times as
 * ISO-8601 UTC. Windows and sessions come from the store's key, where Kafka Streams keeps them.
 */
final class GoldViews {

    private GoldViews() {
    }

    static CustomerTotalsView customer(long customerId, CustomerTotals value) {
        return new CustomerTotalsView(customerId, value.getReportingCurrency(), amount(value.getRevenue()),
                value.getOrderCount(), value.getUnconvertedOrderCount(), value.getFirstOrderAt().toString(),
                value.getLastOrderAt().toString());
    }

    static ProductHourView productHour(long productId, long windowStart, long windowEnd,
            ProductRevenueHourly value) {
        return new ProductHourView(productId, value.getProductName(), time(windowStart), time(windowEnd),
                value.getReportingCurrency(), amount(value.getRevenue()), value.getQuantity(), value.getLineCount(),
                value.getUnconvertedLineCount());
    }

    static RegionDayView regionDay(String region, long windowStart, long windowEnd, RegionRevenueDaily value) {
        return new RegionDayView(region, time(windowStart), time(windowEnd), value.getReportingCurrency(),
                amount(value.getRevenue()), value.getOrderCount(), value.getUnconvertedOrderCount());
    }

    static SessionView session(String userId, Window session, UserSession value) {
        return new SessionView(userId, time(session.start()), time(session.end()), value.getEventCount(),
                value.getPageViews(), value.getSearches(), value.getAddToCart(), value.getRemoveFromCart(),
                value.getCheckouts());
    }

    static String amount(BigDecimal value) {
        return value.toPlainString();
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    static long millis(String isoTime) {
        return Instant.parse(isoTime).toEpochMilli();
    }
}
