package dev.sluice.app.enrich;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.internal.OrderItem;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import dev.sluice.schemas.silver.Product;

/**
 * An order line joined with its order, its product and the order's currency rate, its amount converted to the
 * reporting currency: a pure function of its inputs.
 */
final class LineJoin {

    private LineJoin() {
    }

    /**
     * Whether the line waits: its order, product or rate is not known yet, its wait has not run out, and it is not
     * a delete (deletes never wait).
     */
    static boolean waits(OrderItem item, Order order, Product product, BigDecimal rate, boolean expired) {
        return (order == null || product == null || rate == null) && !expired && !item.getDeleted();
    }

    /**
     * The enriched line; {@link Flags} name what was missing ({@code order}, {@code product} and {@code rate} may be
     * null; the rate is only missing when the order is there to have one).
     */
    static EnrichedOrderLine join(OrderItem item, Order order, Product product, BigDecimal rate,
            String reportingCurrency) {
        List<String> flags = new ArrayList<>();
        if (order == null) {
            flags.add(Flags.ORDER_MISSING);
        }
        if (product == null) {
            flags.add(Flags.PRODUCT_MISSING);
        }
        if (order != null && rate == null) {
            flags.add(Flags.RATE_MISSING);
        }
        BigDecimal amount = item.getUnitPrice().multiply(BigDecimal.valueOf(item.getQuantity()));
        return EnrichedOrderLine.newBuilder()
                .setOrderId(item.getOrderId())
                .setLineNo(item.getLineNo())
                .setProductId(item.getProductId())
                .setProductSku(product == null ? null : product.getSku())
                .setProductName(product == null ? null : product.getName())
                .setProductCategory(product == null ? null : product.getCategory())
                .setQuantity(item.getQuantity())
                .setUnitPrice(item.getUnitPrice())
                .setLineAmount(amount)
                .setCurrency(order == null ? null : order.getCurrency())
                .setReportingCurrency(reportingCurrency)
                .setExchangeRate(rate)
                .setLineAmountReporting(CurrencyConverter.convert(amount, rate))
                .setCustomerId(order == null ? null : order.getCustomerId())
                .setOrderedAt(order == null ? null : order.getOrderedAt())
                .setDeleted(item.getDeleted())
                .setOp(item.getOp())
                .setSourceLsn(item.getSourceLsn())
                .setSourceTs(item.getSourceTs())
                .setFlags(flags)
                .build();
    }
}
