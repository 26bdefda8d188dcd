package dev.sluice.app.validate;

/** The validation rules in the configuration are wrong; the message names the configuration key. */
public final class InvalidRulesException extends IllegalArgumentException {

    private final String key;
    private final String problem;

    public InvalidRulesException(String key, String problem) {
        super("sluice.validation." + key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The offending key relative to {@code sluice.validation}, e.g. {@code customers.fields.email.pattern}. */
    public String key() {
        return key;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }
}
