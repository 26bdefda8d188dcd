package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;

/**
 * An incremental snapshot that was signalled; Debezium picks the signal up from the WAL and re-reads the tables in
 * chunks while streaming goes on.
 *
 * @param connector the CDC connector
 * @param signalId id of the row inserted into the signalling table
 * @param signalTable the signalling table
 * @param tables the tables to be re-read
 */
@Serdeable
public record SnapshotAccepted(String connector, String signalId, String signalTable, List<String> tables) {
}
