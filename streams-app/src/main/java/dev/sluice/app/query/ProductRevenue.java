package dev.sluice.app.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Revenue of one product over the hours that start in [from, to), with the hours themselves.
 *
 * @param productId            the product
 * @param from                 start of the range, ISO-8601; null when open
 * @param to                   end of the range (exclusive); null when open
 * @param currency             reporting currency; null when no hour is in the range
 * @param revenue              sum over the hours, a decimal string
 * @param quantity             units sold
 * @param lineCount            order lines counted
 * @param unconvertedLineCount lines counted without revenue
 * @param hours                the hours with sales, oldest first
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "ProductRevenue")
public record ProductRevenue(long productId, @Nullable String from, @Nullable String to, @Nullable String currency,
        String revenue, long quantity, long lineCount, long unconvertedLineCount, List<ProductHourView> hours) {
}
