package dev.sluice.app.dataset.pipeline;

import org.apache.avro.generic.GenericRecord;

import dev.sluice.app.silver.PiiPolicy;

/** How one column of a derived silver record gets its value from the bronze record. */
@FunctionalInterface
interface SilverColumn {

    /**
     * @param timestamp Kafka timestamp of the bronze record
     * @return the value in the form the derived schema's generic writer takes (epoch millis for timestamps, the
     *         unscaled bytes for decimals)
     */
    Object value(GenericRecord bronze, long timestamp, PiiPolicy pii);
}
