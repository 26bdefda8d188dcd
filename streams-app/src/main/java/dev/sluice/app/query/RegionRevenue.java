package dev.sluice.app.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Revenue of one customer region over the days that start in [from, to), with the days themselves.
 *
 * @param region                the region
 * @param from                  start of the range, ISO-8601; null when open
 * @param to                    end of the range (exclusive); null when open
 * @param currency              reporting currency; null when no day is in the range
 * @param revenue               sum over the days, a decimal string
 * @param orderCount            orders counted
 * @param unconvertedOrderCount orders counted without revenue
 * @param days                  the days with orders, oldest first
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "RegionRevenue")
public record RegionRevenue(String region, @Nullable String from, @Nullable String to, @Nullable String currency,
        String revenue, long orderCount, long unconvertedOrderCount, List<RegionDayView> days) {
}
