package dev.sluice.app.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One product in one hour (store product-revenue-hourly).
 *
 * @param productId            the product
 * @param productName          its name at the last line counted
 * @param windowStart          start of the hour, ISO-8601 UTC
 * @param windowEnd            end of the hour (exclusive)
 * @param currency             reporting currency of {@code revenue}
 * @param revenue              sum of the converted line amounts, a decimal string
 * @param quantity             units sold
 * @param lineCount            order lines counted
 * @param unconvertedLineCount lines counted without revenue (no exchange rate known)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "ProductRevenueHour")
public record ProductHourView(long productId, @Nullable String productName, String windowStart, String windowEnd,
        String currency, String revenue, long quantity, long lineCount, long unconvertedLineCount) {
}
