package dev.sluice.app.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.schemas.internal.Order;
import dev.sluice.schemas.internal.OrderItem;
import dev.sluice.schemas.silver.Customer;
import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import dev.sluice.schemas.silver.Product;

/** The order and line joins as plain functions: what waits, what is flagged, what is converted. */
class JoinsTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private static final BigDecimal RATE = new BigDecimal("0.5");

    @Test
    void anOrderWaitsForItsCustomerAndRateUnlessItsWaitRanOutOrItIsADelete() {
        assertFalse(OrderJoin.waits(order(false), customer(), RATE, false));
        assertTrue(OrderJoin.waits(order(false), null, RATE, false));
        assertTrue(OrderJoin.waits(order(false), customer(), null, false));
        assertFalse(OrderJoin.waits(order(false), null, null, true), "the wait ran out");
        assertFalse(OrderJoin.waits(order(true), null, null, false), "deletes never wait");
    }

    @Test
    void anOrderIsJoinedWithItsCustomerAndConverted() {
        EnrichedOrder joined = OrderJoin.join(order(false), customer(), RATE, "EUR");
        assertEquals(List.of(), joined.getFlags());
        assertEquals("EU", joined.getCustomerRegion());
        assertEquals("a@example.com", joined.getCustomerEmail());
        assertEquals(new BigDecimal("5.00"), joined.getTotalAmountReporting());
        assertEquals("EUR", joined.getReportingCurrency());
        assertEquals("USD", joined.getCurrency());
    }

    @Test
    void anOrderEmittedWithoutItsReferencesNamesThemAndHasNoConversion() {
        EnrichedOrder joined = OrderJoin.join(order(false), null, null, "EUR");
        assertEquals(List.of(Flags.CUSTOMER_MISSING, Flags.RATE_MISSING), joined.getFlags());
        assertNull(joined.getCustomerRegion());
        assertNull(joined.getTotalAmountReporting());
        assertNull(joined.getExchangeRate());
    }

    @Test
    void aLineWaitsForItsOrderProductAndRateUnlessItsWaitRanOutOrItIsADelete() {
        assertFalse(LineJoin.waits(item(false), order(false), product(), RATE, false));
        assertTrue(LineJoin.waits(item(false), null, product(), null, false));
        assertTrue(LineJoin.waits(item(false), order(false), null, RATE, false));
        assertTrue(LineJoin.waits(item(false), order(false), product(), null, false));
        assertFalse(LineJoin.waits(item(false), null, null, null, true), "the wait ran out");
        assertFalse(LineJoin.waits(item(true), null, null, null, false), "deletes never wait");
    }

    @Test
    void aLineIsJoinedWithItsOrderAndProductAndItsAmountConverted() {
        EnrichedOrderLine joined = LineJoin.join(item(false), order(false), product(), RATE, "EUR");
        assertEquals(List.of(), joined.getFlags());
        assertEquals(new BigDecimal("7.50"), joined.getLineAmount(), "3 x 2.50");
        assertEquals(new BigDecimal("3.75"), joined.getLineAmountReporting());
        assertEquals("SKU-9", joined.getProductSku());
        assertEquals(42L, joined.getCustomerId());
        assertEquals("USD", joined.getCurrency());
    }

    @Test
    void aLineWithoutItsOrderIsFlaggedOrderMissingButNotRateMissing() {
        EnrichedOrderLine joined = LineJoin.join(item(false), null, null, null, "EUR");
        assertEquals(List.of(Flags.ORDER_MISSING, Flags.PRODUCT_MISSING), joined.getFlags(),
                "without an order there is no currency whose rate could be missing");
        assertEquals(new BigDecimal("7.50"), joined.getLineAmount());
        assertNull(joined.getLineAmountReporting());
        assertNull(joined.getCustomerId());

        assertEquals(List.of(Flags.RATE_MISSING), LineJoin.join(item(false), order(false), product(), null, "EUR")
                .getFlags());
    }

    private static Order order(boolean deleted) {
        return Order.newBuilder().setOrderId(1).setCustomerId(42).setStatus("PAID").setCurrency("USD")
                .setTotalAmount(new BigDecimal("10.00")).setOrderedAt(T).setUpdatedAt(T).setDeleted(deleted)
                .setOp(deleted ? "d" : "c").build();
    }

    private static OrderItem item(boolean deleted) {
        return OrderItem.newBuilder().setOrderId(1).setLineNo(1).setProductId(9).setQuantity(3)
                .setUnitPrice(new BigDecimal("2.50")).setDeleted(deleted).setOp(deleted ? "d" : "c").build();
    }

    private static Customer customer() {
        return Customer.newBuilder().setCustomerId(42).setEmail("a@example.com").setRegion("EU").setCountry("DE")
                .setCreatedAt(T).setUpdatedAt(T).setOp("r").build();
    }

    private static Product product() {
        return Product.newBuilder().setProductId(9).setSku("SKU-9").setName("Nine").setCategory("tools")
                .setPrice(new BigDecimal("2.50")).setCurrency("USD").setUpdatedAt(T).setOp("r").build();
    }
}
