package dev.sluice.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Totals over windows are exact decimal sums, in the first window's currency, with the range asked for. */
class GoldSummariesTest {

    private static final TimeRange NOVEMBER = TimeRange.parse("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");

    @Test
    void regionTotalsAddTheDaysExactlyAndKeepThem() {
        List<RegionDayView> days = List.of(
                new RegionDayView("EU", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", "EUR", "0.10", 2, 0),
                new RegionDayView("EU", "2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z", "EUR", "0.20", 3, 1));
        RegionRevenue total = GoldSummaries.regionTotals("EU", NOVEMBER, days);
        assertEquals(new RegionRevenue("EU", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "EUR", "0.30", 5, 1,
                days), total);
    }

    @Test
    void regionTotalsOverNoDaysAreZeroWithoutCurrency() {
        RegionRevenue none = GoldSummaries.regionTotals("EU", TimeRange.ALL, List.of());
        assertEquals("0.00", none.revenue());
        assertNull(none.currency());
        assertEquals(0, none.orderCount());
    }

    @Test
    void productTotalsCountLinesAndKeepTheRange() {
        ProductRevenue total = GoldSummaries.productTotals(7, NOVEMBER, List.of(
                new ProductHourView(7, "P", "2026-11-22T10:00:00Z", "2026-11-22T11:00:00Z", "USD", "1.05", 1, 4, 0),
                new ProductHourView(7, "P", "2026-11-22T11:00:00Z", "2026-11-22T12:00:00Z", "USD", "2.95", 2, 3, 2)));
        assertEquals("4.00", total.revenue());
        assertEquals("USD", total.currency());
        assertEquals(7, total.lineCount());
        assertEquals(2, total.unconvertedLineCount());
        assertEquals("2026-11-01T00:00:00Z", total.from());
        assertEquals("2026-12-01T00:00:00Z", total.to());
    }
}
