package dev.sluice.app.dataset.pipeline;

/** A bronze schema that the dataset's specification cannot turn into a silver schema; the message names the field. */
public final class UnderivableSchemaException extends IllegalArgumentException {

    public UnderivableSchemaException(String message) {
        super(message);
    }
}
