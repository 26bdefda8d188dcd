package dev.sluice.lake.compaction;

import org.apache.avro.Schema;

/**
 * An input of a compaction with what its footer says.
 *
 * @param candidate the input
 * @param schema    the Avro schema its rows were written with
 * @param rows      its number of rows
 */
record PlannedInput(InputSelection.Candidate candidate, Schema schema, long rows) {

    String name() {
        return candidate.name();
    }
}
