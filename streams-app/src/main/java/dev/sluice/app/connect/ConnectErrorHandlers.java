package dev.sluice.app.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.connect.admin.ConnectRestException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Answers of the API when something goes wrong, always as a {@link Problem}, never with a stack trace:
 * <ul>
 * <li>{@link ApiException}: its own status (400 with field errors, 404, 409, ...);</li>
 * <li>{@link ConnectRestException}: 503 with Retry-After when Kafka Connect cannot be reached, 502 with Connect's
 * message when Connect answers 5xx, and Connect's own 4xx status and message otherwise;</li>
 * <li>anything else raised by the connector API: 500, logged with its stack trace.</li>
 * </ul>
 */
@Singleton
public class ConnectErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectErrorHandlers.class);

    private final ConnectConfiguration configuration;

    public ConnectErrorHandlers(ConnectConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The answer to {@code e}, raised while handling {@code request}. */
    public HttpResponse<Problem> handle(HttpRequest<?> request, Throwable e) {
        if (e instanceof ApiException api) {
            return problem(api.toProblem());
        }
        if (e instanceof ConnectRestException connect) {
            return connect(request, connect);
        }
        LOG.error("connector api request failed method={} path={}", request.getMethodName(), request.getPath(), e);
        return problem(new Problem(500, "Internal error", "the request failed unexpectedly; see the streams-app log",
                null));
    }

    /** A problem answer with the problem's status. */
    public static MutableHttpResponse<Problem> problem(Problem problem) {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status())).body(problem)
                .contentType(Problem.PROBLEM_JSON);
    }

    private HttpResponse<Problem> connect(HttpRequest<?> request, ConnectRestException e) {
        if (e.unreachable()) {
            LOG.warn("kafka connect unavailable method={} path={} reason={}", request.getMethodName(),
                    request.getPath(), e.getMessage());
            return problem(new Problem(503, "Kafka Connect unavailable", e.getMessage() + "; retry later", null))
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, configuration.getRetryAfter()
                            .toSeconds())));
        }
        if (e.status() >= 500) {
            LOG.warn("kafka connect error method={} path={} status={}", request.getMethodName(), request.getPath(),
                    e.status());
            return problem(new Problem(502, "Kafka Connect error", "Kafka Connect answered " + e.status() + ": "
                    + e.getMessage(), null));
        }
        return problem(new Problem(e.status(), "Rejected by Kafka Connect", e.getMessage(), null));
    }

    /** {@link ApiException}, wherever it is raised. */
    @Produces
    @Singleton
    static class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<Problem>> {

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ApiException exception) {
            return problem(exception.toProblem());
        }
    }

    /** {@link ConnectRestException}, wherever it is raised. */
    @Produces
    @Singleton
    static class ConnectExceptionHandler implements ExceptionHandler<ConnectRestException, HttpResponse<Problem>> {

        private final ConnectErrorHandlers handlers;

        ConnectExceptionHandler(ConnectErrorHandlers handlers) {
            this.handlers = handlers;
        }

        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConnectRestException exception) {
            return handlers.handle(request, exception);
        }
    }
}
