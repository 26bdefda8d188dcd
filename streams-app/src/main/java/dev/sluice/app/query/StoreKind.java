package dev.sluice.app.query;

/** The kind of a state store, which decides the queries it answers. */
public enum StoreKind {
    /** One value per key. */
    KEY_VALUE,
    /** One value per key and fixed time window. */
    WINDOW,
    /** One value per key and activity session. */
    SESSION
}
