package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to pausing a Debezium PostgreSQL connector: pausing does not release its replication slot.
 *
 * @param name     the connector
 * @param warnings what a pause costs: the WAL the slot holds back while paused
 */
@Serdeable
public record ConnectorPaused(String name, List<String> warnings) {
}
