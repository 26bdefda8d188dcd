package dev.sluice.connect.s3;

/**
 * A record schema cannot be projected onto a file schema without losing data, so the record needs
 * a file of its own. Expected during schema evolution; never leaves the sink.
 */
final class IncompatibleSchemaException extends Exception {

    IncompatibleSchemaException(String path, String reason) {
        super(path + ": " + reason, null, false, false);
    }
}
