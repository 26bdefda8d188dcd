package dev.sluice.app.query;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.sluice.app.query.StoreQueryService.Gathered;
import dev.sluice.app.query.StoreQueryService.KeyAnswer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * Headers of requests one instance forwards to another, and of their answers, and the answers built from what was
 * read here or forwarded. A forwarded request is answered from the receiving instance's own stores only, never
 * forwarded again: no loops, whatever the metadata says.
 */
public final class Forwarding {

    /** Marks a forwarded request; its value is the forwarding instance. */
    public static final String FORWARDED = "X-Sluice-Forwarded";
    /** The store partitions a forwarded request asks for, comma-separated. */
    public static final String PARTITIONS = "X-Sluice-Partitions";
    /** {@code true}: any copy of the partitions may answer (a standby replica, a restoring task). */
    public static final String ANY_COPY = "X-Sluice-Any-Copy";
    /** On answers: the instances that answered, comma-separated ({@code host:port}, or {@code local}). */
    public static final String SERVED_BY = "X-Sluice-Served-By";
    /** On answers: {@code true} when a standby replica or a restoring task answered, which may lag behind. */
    public static final String STALE = "X-Sluice-Stale";

    private Forwarding() {
    }

    /**
     * How a request is to be answered.
     *
     * @param forwarded  whether another instance forwarded it (answer locally only)
     * @param partitions the partitions asked for (forwarded requests)
     * @param anyCopy    whether any copy may answer (forwarded requests)
     */
    public record Scope(boolean forwarded, SortedSet<Integer> partitions, boolean anyCopy) {

        public static final Scope COORDINATE = new Scope(false, new TreeSet<>(), false);

        /** The scope of {@code request}; a 400 answer for a malformed partition list. */
        public static Scope of(HttpRequest<?> request) {
            String forwarded = request.getHeaders().get(FORWARDED);
            if (forwarded == null) {
                return COORDINATE;
            }
            return new Scope(true, partitions(request.getHeaders().get(PARTITIONS)),
                    "true".equalsIgnoreCase(request.getHeaders().get(ANY_COPY)));
        }

        static SortedSet<Integer> partitions(@Nullable String header) {
            SortedSet<Integer> partitions = new TreeSet<>();
            if (header == null || header.isBlank()) {
                return partitions;
            }
            for (String part : header.split(",")) {
                try {
                    int partition = Integer.parseInt(part.strip());
                    if (partition < 0) {
                        throw QueryException.badRequest(PARTITIONS + " must list partition numbers");
                    }
                    partitions.add(partition);
                } catch (NumberFormatException e) {
                    throw QueryException.badRequest(PARTITIONS + " must list partition numbers");
                }
            }
            return partitions;
        }
    }

    /** The header value of a partition set. */
    static String header(Set<Integer> partitions) {
        StringBuilder text = new StringBuilder();
        for (int partition : new TreeSet<>(partitions)) {
            text.append(text.isEmpty() ? "" : ",").append(partition);
        }
        return text.toString();
    }

    /** The request's path and query as it came, still URL-encoded, to forward unchanged. */
    static String pathAndQuery(HttpRequest<?> request) {
        String path = request.getUri().getRawPath();
        String query = request.getUri().getRawQuery();
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    /**
     * The answer to a query for one key: the other instance's answer passed on as it came, or the value read here;
     * a 404 answer saying {@code notFound} (or "not found") when there is none.
     */
    static <T> HttpResponse<?> keyResponse(KeyAnswer<T> answer, @Nullable String notFound) {
        InstanceClient.Answer remote = answer.remote();
        if (remote != null) {
            MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(remote.status()))
                    .body(remote.body());
            response.contentType(remote.contentType().map(MediaType::of).orElse(MediaType.APPLICATION_JSON_TYPE));
            response.header(SERVED_BY, remote.headers().getOrDefault(SERVED_BY, answer.servedBy()));
            if (answer.stale() || "true".equals(remote.headers().get(STALE))) {
                response.header(STALE, "true");
            }
            return response;
        }
        if (answer.value() == null) {
            throw QueryException.notFound(notFound == null ? "not found" : notFound);
        }
        MutableHttpResponse<T> response = HttpResponse.ok(answer.value()).header(SERVED_BY, answer.servedBy());
        return answer.stale() ? response.header(STALE, "true") : response;
    }

    /** {@code response} with the instances that answered a gathered query, and whether any may lag behind. */
    static <R> MutableHttpResponse<R> served(MutableHttpResponse<R> response, Gathered<?> gathered) {
        response.header(SERVED_BY, String.join(",", gathered.servedBy()));
        return gathered.stale() ? response.header(STALE, "true") : response;
    }
}
