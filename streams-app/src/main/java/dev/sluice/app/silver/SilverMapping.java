package dev.sluice.app.silver;

import dev.sluice.app.ingest.Decoded;

/** How a valid bronze record of one entity becomes a silver (or internal) record: its new key and value. */
public interface SilverMapping<V> {

    /** The key of the silver record, from the bronze key (present for tombstones too). */
    String key(Decoded record);

    /**
     * The silver value; called only for records with a value (a tombstone stays a tombstone).
     *
     * @param timestamp Kafka timestamp of the bronze record
     */
    V value(Decoded record, long timestamp);
}
