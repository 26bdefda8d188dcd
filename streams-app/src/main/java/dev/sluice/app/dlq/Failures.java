package dev.sluice.app.dlq;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;

import dev.sluice.app.serde.RegistryUnavailableException;
import io.apicurio.registry.rest.client.exception.RestClientException;

/**
 * Tells failures caused by the record (dead-letter it, carry on) from failures of the infrastructure (registry or
 * broker unreachable), which must stop processing instead: dead-lettering good records during an outage would be a
 * silent loss of the pipeline's output.
 */
public final class Failures {

    private static final int MAX_DEPTH = 20;
    /** How Apicurio's REST client names I/O failures it wraps without a cause. */
    private static final Set<String> TRANSIENT_NAMES = Set.of("ConnectException", "NoRouteToHostException",
            "SocketTimeoutException", "UnknownHostException", "HttpConnectTimeoutException", "HttpTimeoutException",
            "ClosedChannelException", "IOException");

    private Failures() {
    }

    /** True when the cause is an unreachable or timing-out dependency rather than the record itself. */
    public static boolean isTransient(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                    || t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof RetriableException || t instanceof RegistryUnavailableException
                    || unavailableRegistry(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The registry could not be reached or failed on its side (5xx, 429); a 404 is the record's fault. */
    private static boolean unavailableRegistry(Throwable t) {
        if (!(t instanceof RestClientException rest) || rest.getError() == null) {
            return false;
        }
        Integer code = rest.getError().getErrorCode();
        if (code != null) {
            return code >= 500 || code == 429;
        }
        return rest.getError().getName() != null && TRANSIENT_NAMES.contains(rest.getError().getName());
    }
}
