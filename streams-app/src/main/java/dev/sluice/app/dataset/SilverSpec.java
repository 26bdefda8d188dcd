package dev.sluice.app.dataset;

import java.util.Map;
import java.util.Optional;

/**
 * The silver side of a dataset ({@code silver}).
 *
 * @param topic the silver topic
 * @param schemaName full Avro record name of the derived silver schema
 * @param rename bronze field name to silver field name, for the fields that change name
 * @param receivedAt name of a timestamp-millis column holding the bronze record's Kafka timestamp, if wanted
 * @param compacted whether the silver topic is compacted (latest value per key) rather than deleted by retention
 */
public record SilverSpec(String topic, String schemaName, Map<String, String> rename, Optional<String> receivedAt,
        boolean compacted) {
}
