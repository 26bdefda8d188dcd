package dev.sluice.app.query;

import io.micronaut.http.HttpStatus;

/**
 * A query answered with an error problem: 400 for a request that cannot be read, 404 for a key a store does not
 * hold, 503 (with Retry-After) for a store partition that no instance can answer right now.
 */
public class QueryException extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    QueryException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    static QueryException badRequest(String detail) {
        return new QueryException(HttpStatus.BAD_REQUEST, "Invalid query", detail);
    }

    static QueryException notFound(String detail) {
        return new QueryException(HttpStatus.NOT_FOUND, "Not found", detail);
    }

    static QueryException unavailable(String detail) {
        return new QueryException(HttpStatus.SERVICE_UNAVAILABLE, "Store unavailable", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
