package dev.sluice.connect.s3;

/** Whether records of one Connect value schema can be written into files of one Avro schema, and how. */
sealed interface Projection {

    /** They can: {@code projector} writes them. */
    record Compatible(RowProjector projector) implements Projection {
    }

    /** They cannot without losing data, for {@code reason}: such a record needs a file of its own. */
    record Incompatible(String reason) implements Projection {
    }
}
