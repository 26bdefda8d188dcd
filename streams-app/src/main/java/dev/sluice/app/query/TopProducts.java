package dev.sluice.app.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The products with the highest revenue in one hour.
 *
 * @param windowStart start of the hour, ISO-8601 UTC
 * @param windowEnd   its end (exclusive)
 * @param n           how many were asked for
 * @param products    at most n, highest revenue first (ties by product id)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "TopProducts")
public record TopProducts(String windowStart, String windowEnd, int n, List<ProductHourView> products) {
}
