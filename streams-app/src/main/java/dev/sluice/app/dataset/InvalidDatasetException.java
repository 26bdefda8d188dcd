package dev.sluice.app.dataset;

/** A dataset specification is wrong; the message is {@code <file>: <field.path>: <problem>}. */
public final class InvalidDatasetException extends IllegalArgumentException {

    private final String file;
    private final String field;

    public InvalidDatasetException(String file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    /** The specification file, as named to the parser. */
    public String file() {
        return file;
    }

    /** The dotted path of the offending field, e.g. {@code source.kind}. */
    public String field() {
        return field;
    }
}
