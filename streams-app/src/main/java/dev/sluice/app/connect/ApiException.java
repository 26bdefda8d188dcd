package dev.sluice.app.connect;

import java.util.List;

import io.micronaut.http.HttpStatus;

/** A request the API answers with an error {@link Problem}: invalid input, a missing connector, a conflict. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final transient List<Problem.FieldError> errors;

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ApiException(HttpStatus status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 400 for invalid input, each problem attached to the field it concerns. */
    public static ApiException invalid(String detail, List<Problem.FieldError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid connector request", detail, errors);
    }

    /** 400 for one invalid field. */
    public static ApiException invalidField(String field, String message) {
        return invalid(field + ": " + message, List.of(new Problem.FieldError(field, List.of(message))));
    }

    public HttpStatus status() {
        return status;
    }

    /** The problem this exception is answered with. */
    public Problem toProblem() {
        return new Problem(status.getCode(), title, getMessage(), errors.isEmpty() ? null : errors);
    }
}
