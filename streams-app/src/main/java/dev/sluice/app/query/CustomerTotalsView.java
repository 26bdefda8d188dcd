package dev.sluice.app.query;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Running totals of one customer (store customer-totals).
 *
 * @param customerId            the customer
 * @param currency              reporting currency of {@code revenue}
 * @param revenue               sum of the customer's converted order totals, a decimal string
 * @param orderCount            orders counted
 * @param unconvertedOrderCount orders counted without revenue (no exchange rate known)
 * @param firstOrderAt          order time of the earliest order, ISO-8601
 * @param lastOrderAt           order time of the latest order, ISO-8601
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "CustomerTotals")
public record CustomerTotalsView(long customerId, String currency, String revenue, long orderCount,
        long unconvertedOrderCount, String firstOrderAt, String lastOrderAt) {
}
