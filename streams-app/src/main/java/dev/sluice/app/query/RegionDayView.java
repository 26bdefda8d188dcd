package dev.sluice.app.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One customer region in one UTC day (store region-revenue-daily).
 *
 * @param region                the region; UNKNOWN for orders whose customer was not known
 * @param windowStart           start of the day, ISO-8601 UTC
 * @param windowEnd             end of the day (exclusive)
 * @param currency              reporting currency of {@code revenue}
 * @param revenue               sum of the converted order totals, a decimal string
 * @param orderCount            orders counted
 * @param unconvertedOrderCount orders counted without revenue (no exchange rate known)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "RegionRevenueDay")
public record RegionDayView(String region, String windowStart, String windowEnd, String currency, String revenue,
        long orderCount, long unconvertedOrderCount) {
}
