package dev.sluice.app.enrich;

import dev.sluice.schemas.silver.EnrichedOrder;
import dev.sluice.schemas.silver.EnrichedOrderLine;

/**
 * What the enrichment emits, in memory only: an enriched order or order line, or the tombstone of one ({@code value}
 * null), routed by its type to silver.orders or silver.order_lines.
 */
public sealed interface EnrichedOutput {

    /** An enriched order for silver.orders; null for an order's tombstone. */
    record Order(EnrichedOrder value) implements EnrichedOutput {
    }

    /** An enriched order line for silver.order_lines; null for a line's tombstone. */
    record Line(EnrichedOrderLine value) implements EnrichedOutput {
    }
}
