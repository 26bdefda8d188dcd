package dev.sluice.app.enrich;

import org.apache.avro.specific.SpecificRecord;

/**
 * What the enrichment emits, in memory only: an enriched order or order line, or the tombstone of one ({@code value}
 * null), routed by {@code kind} to silver.orders or silver.order_lines.
 */
public record EnrichedOutput(Kind kind, SpecificRecord value) {

    /** Which silver topic the output belongs to. */
    public enum Kind {
        ORDER, LINE
    }
}
