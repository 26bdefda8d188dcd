package dev.sluice.app.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.streams.state.HostInfo;

import jakarta.inject.Singleton;

/**
 * HTTP GET to another instance of the application, at its {@code application.server}, with bounded connect and
 * request times. Forwarded requests are always marked ({@link Forwarding#FORWARDED}), so that the receiver answers
 * from its own stores. Any failure to get an answer is an {@link UnreachableException}: the caller then asks a
 * replica or answers 503.
 */
@Singleton
public class InstanceClient {

    private final HttpClient http;
    private final QueryConfiguration configuration;

    public InstanceClient(QueryConfiguration configuration) {
        this.configuration = configuration;
        this.http = HttpClient.newBuilder().connectTimeout(configuration.getConnectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Another instance gave no answer (refused, timed out, reset). */
    public static class UnreachableException extends RuntimeException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * An answer of another instance.
     *
     * @param status      HTTP status
     * @param contentType its Content-Type, if any
     * @param headers     the answer's Sluice headers (served-by, stale)
     * @param body        the body bytes
     */
    public record Answer(int status, Optional<String> contentType, Map<String, String> headers, byte[] body) {
    }

    /**
     * GET {@code pathAndQuery} (as the original request had it, still URL-encoded) of {@code host}.
     *
     * @param origin  this instance, for the {@link Forwarding#FORWARDED} header
     * @param headers further headers (partitions, any copy)
     */
    public Answer get(HostInfo host, String pathAndQuery, String origin, Map<String, String> headers) {
        try {
            return getAsync(host, pathAndQuery, origin, headers).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UnreachableException unreachable ? unreachable
                    : new UnreachableException(authority(host) + " did not answer: " + e.getCause(), e.getCause());
        }
    }

    /** {@link #get} without waiting; completes exceptionally with an {@link UnreachableException}. */
    public CompletableFuture<Answer> getAsync(HostInfo host, String pathAndQuery, String origin,
            Map<String, String> headers) {
        URI uri = URI.create("http://" + authority(host) + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(configuration.getForwardTimeout()).GET()
                .header(Forwarding.FORWARDED, origin).header("Accept", "application/json");
        headers.forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                throw new UnreachableException(authority(host) + " did not answer: " + cause, cause);
            }
            Map<String, String> sluice = new TreeMap<>();
            response.headers().firstValue(Forwarding.SERVED_BY).ifPresent(v -> sluice.put(Forwarding.SERVED_BY, v));
            response.headers().firstValue(Forwarding.STALE).ifPresent(v -> sluice.put(Forwarding.STALE, v));
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type"), sluice,
                    response.body());
        });
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    public static String authority(HostInfo host) {
        String name = host.host();
        return (name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name) + ":" + host.port();
    }
}
