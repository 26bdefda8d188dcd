package dev.sluice.app.silver;

/** What the PII policy does to a field. */
public enum PiiAction {
    /** Keyed HMAC-SHA256 of the normalised value, hex: equal inputs give equal outputs, nothing readable. */
    HASH,
    /** Keeps a hint only: the first character of each part, e.g. a***@example.com or A*** L***. */
    MASK,
    /** Null. */
    DROP,
    /** The value unchanged (only for data that is not personal in a given deployment). */
    KEEP
}
