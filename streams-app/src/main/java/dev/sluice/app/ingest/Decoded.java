package dev.sluice.app.ingest;

import org.apache.avro.generic.GenericRecord;

/**
 * A bronze record after deserialization: the key (an Avro record of the primary key for CDC and reference topics,
 * a string for event topics) and the value, null for a Kafka tombstone.
 */
public record Decoded(Object key, GenericRecord value) {

    public boolean tombstone() {
        return value == null;
    }
}
