package dev.sluice.app.ingest;

/** How the key of a bronze topic is encoded. */
public enum KeyFormat {
    /** Avro in the Confluent wire format, schema from the registry (Connect sources). */
    AVRO,
    /** A UTF-8 string (application producers). */
    STRING
}
