package dev.sluice.app.validate;

import java.util.Arrays;
import java.util.Locale;

/** The types a field rule can require; see {@link FieldValues} for what each accepts. */
public enum FieldType {
    STRING, INT, LONG, DOUBLE, DECIMAL, BOOLEAN, TIMESTAMP;

    static FieldType parse(String value, String key) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRulesException(key, "unknown type '" + value + "', expected one of "
                    + Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }
}
