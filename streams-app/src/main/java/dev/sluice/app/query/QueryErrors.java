package dev.sluice.app.query;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

/**
 * Error answers of the query API, as problems: 400, 404, and 503 with Retry-After for a store that cannot be read
 * right now (a rebalance or a restore is not an error of the request, and never a 500). Anything else is a bug:
 * 500, logged with its stack trace, never shown.
 */
@Singleton
public class QueryErrors {

    private static final Logger LOG = LoggerFactory.getLogger(QueryErrors.class);

    private final QueryConfiguration configuration;

    public QueryErrors(QueryConfiguration configuration) {
        this.configuration = configuration;
    }

    public MutableHttpResponse<Problem> handle(HttpRequest<?> request, Throwable e) {
        if (e instanceof QueryException query) {
            MutableHttpResponse<Problem> response = ConnectErrorHandlers.problem(new Problem(query.status().getCode(),
                    query.title(), query.getMessage(), null));
            return query.status().getCode() == 503 ? retryLater(response) : response;
        }
        if (e instanceof InvalidStateStoreException) {
            return retryLater(ConnectErrorHandlers.problem(new Problem(503, "Store unavailable",
                    "the store cannot be read right now (rebalancing or restoring); retry later", null)));
        }
        LOG.error("query failed method={} path={}", request.getMethodName(), request.getPath(), e);
        return ConnectErrorHandlers.problem(new Problem(500, "Internal error",
                "the query failed unexpectedly; see the streams-app log", null));
    }

    private MutableHttpResponse<Problem> retryLater(MutableHttpResponse<Problem> response) {
        return response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1,
                configuration.getRetryAfter().toSeconds())));
    }
}
