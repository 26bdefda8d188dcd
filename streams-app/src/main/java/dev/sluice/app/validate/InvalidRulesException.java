package dev.sluice.app.validate;

/** The validation rules in the configuration are wrong; the message names the configuration key. */
public final class InvalidRulesException extends IllegalArgumentException {

    public InvalidRulesException(String key, String problem) {
        super("sluice.validation." + key + ": " + problem);
    }
}
