package dev.sluice.app.enrich;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;

/** An order joined with its customer and converted to the reporting currency: a pure function of its inputs. */
final class OrderJoin {

    private OrderJoin() {
    }

    /**
     * Whether the order waits: its customer or rate is not known yet, its wait has not run out, and it is not a
     * delete (deletes never wait).
     */
    static boolean waits(Order order, Customer customer, BigDecimal rate, boolean expired) {
        return (customer == null || rate == null) && !expired && !order.getDeleted();
    }

    /** The enriched order; {@link Flags} name what was missing ({@code customer} and {@code rate} may be null). */
    static EnrichedOrder join(Order order, Customer customer, BigDecimal rate, String reportingCurrency) {
        List<String> flags = new ArrayList<>();
        if (customer == null) {
            flags.add(Flags.CUSTOMER_MISSING);
        }
        if (rate == null) {
            flags.add(Flags.RATE_MISSING);
        }
        return EnrichedOrder.newBuilder()
                .setOrderId(order.getOrderId())
                .setCustomerId(order.getCustomerId())
                .setStatus(order.getStatus())
                .setCurrency(order.getCurrency())
                .setTotalAmount(order.getTotalAmount())
                .setReportingCurrency(reportingCurrency)
                .setExchangeRate(rate)
                .setTotalAmountReporting(CurrencyConverter.convert(order.getTotalAmount(), rate))
                .setOrderedAt(order.getOrderedAt())
                .setUpdatedAt(order.getUpdatedAt())
                .setCustomerEmail(customer == null ? null : customer.getEmail())
                .setCustomerRegion(customer == null ? null : customer.getRegion())
                .setCustomerCountry(customer == null ? null : customer.getCountry())
                .setDeleted(order.getDeleted())
                .setOp(order.getOp())
                .setSourceLsn(order.getSourceLsn())
                .setSourceTs(order.getSourceTs())
                .setFlags(flags)
                .build();
    }
}
