package dev.sluice.app.enrich;

/** Values of the {@code flags} field of enriched records: what the enrichment could not do. */
public final class Flags {

    /** The order's customer was not known when the wait ended (or the order is a delete). */
    public static final String CUSTOMER_MISSING = "CUSTOMER_MISSING";
    /** The line's product was not known. */
    public static final String PRODUCT_MISSING = "PRODUCT_MISSING";
    /** The line's order was not known: no currency, order time or customer. */
    public static final String ORDER_MISSING = "ORDER_MISSING";
    /** No exchange rate to the reporting currency was known: reporting amounts are null. */
    public static final String RATE_MISSING = "RATE_MISSING";

    private Flags() {
    }
}
