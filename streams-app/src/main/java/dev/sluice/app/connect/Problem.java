package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every error answer of the API (media type {@code application/problem+json}, after RFC 9457): a
 * status, a short title, a message saying what went wrong, and for invalid input the problems per field. It never
 * carries a stack trace or a secret.
 *
 * @param status the HTTP status
 * @param title short, fixed summary of the kind of problem
 * @param detail what went wrong in this case
 * @param errors for invalid input: the messages per field (a connector setting, a template parameter such as
 *        {@code parameters.database.port}, or a request field such as {@code name})
 */
@Serdeable
@Schema(name = "Problem", description = "Error answer; never contains a stack trace or a secret.")
public record Problem(int status, String title, String detail, @Nullable List<FieldError> errors) {

    /** Media type of problem answers. */
    public static final String MEDIA_TYPE = "application/problem+json";
    static final MediaType PROBLEM_JSON = MediaType.of(MEDIA_TYPE);

    /**
     * The messages about one field.
     *
     * @param field the field: a connector setting, {@code parameters.<name>} or a request field
     * @param messages what is wrong with it
     */
    @Serdeable
    public record FieldError(String field, List<String> messages) {
    }
}
