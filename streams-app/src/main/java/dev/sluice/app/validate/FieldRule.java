package dev.sluice.app.validate;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks configured for one field of one entity ({@code sluice.validation.<entity>.fields.<field>.*}). Every
 * check is optional; a null field passes every check but {@code required}.
 *
 * @param required the field must be present and not null
 * @param type the value must be of this type (null: any)
 * @param min smallest allowed number (inclusive)
 * @param max largest allowed number (inclusive)
 * @param minLength fewest characters of a string
 * @param maxLength most characters of a string
 * @param pattern regular expression the whole string must match
 * @param allowed the only values allowed (compared as strings)
 * @param maxFuture a timestamp may be at most this far ahead of the processing time
 * @param notBefore a timestamp may not be earlier than this
 * @param matchesKey the value must equal the record key (string keys) or the key's field of the same name
 */
public record FieldRule(String field, boolean required, FieldType type, BigDecimal min, BigDecimal max,
        Integer minLength, Integer maxLength, Pattern pattern, Set<String> allowed, Duration maxFuture,
        Instant notBefore, boolean matchesKey) {
}
