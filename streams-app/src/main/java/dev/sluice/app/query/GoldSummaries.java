package dev.sluice.app.query;

import java.math.BigDecimal;
import java.util.List;

/** Totals over the windows of one key of a windowed gold store, as the query API answers them: exact decimals. */
final class GoldSummaries {

    private GoldSummaries() {
    }

    /** A product's revenue over {@code hours}; the currency is the first hour's (none without hours). */
    static ProductRevenue productTotals(long productId, TimeRange range, List<ProductHourView> hours) {
        BigDecimal revenue = zero();
        long quantity = 0;
        long lines = 0;
        long unconverted = 0;
        for (ProductHourView hour : hours) {
            revenue = revenue.add(new BigDecimal(hour.revenue()));
            quantity += hour.quantity();
            lines += hour.lineCount();
            unconverted += hour.unconvertedLineCount();
        }
        return new ProductRevenue(productId, range.fromText(), range.toText(),
                hours.isEmpty() ? null : hours.get(0).currency(), GoldViews.amount(revenue), quantity, lines,
                unconverted, hours);
    }

    /** A region's revenue over {@code days}; the currency is the first day's (none without days). */
    static RegionRevenue regionTotals(String region, TimeRange range, List<RegionDayView> days) {
        BigDecimal revenue = zero();
        long orders = 0;
        long unconverted = 0;
        for (RegionDayView day : days) {
            revenue = revenue.add(new BigDecimal(day.revenue()));
            orders += day.orderCount();
            unconverted += day.unconvertedOrderCount();
        }
        return new RegionRevenue(region, range.fromText(), range.toText(),
                days.isEmpty() ? null : days.get(0).currency(), GoldViews.amount(revenue), orders, unconverted, days);
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(2);
    }
}
