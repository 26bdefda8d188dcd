package dev.sluice.app.dataset;

/** Where a dataset's bronze records come from. */
public enum SourceKind {
    /** A PostgreSQL table captured by a Debezium CDC connector. */
    CDC,
    /** A table polled by Sluice's JDBC source connector. */
    JDBC,
    /** An event topic that applications produce to. */
    TOPIC
}
