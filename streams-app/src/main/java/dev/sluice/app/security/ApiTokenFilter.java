package dev.sluice.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Protects the mutating requests of the API (POST, PUT, PATCH, DELETE under {@code /api}) with a bearer token
 * when {@code sluice.api.token} (environment {@code SLUICE_API_TOKEN}) is set; reads stay open. Without a token
 * configured, as in local development, every request passes. Tokens are compared in constant time (as SHA-256
 * digests, so neither content nor length leaks through timing), and never logged.
 */
@ServerFilter("/api/**")
public class ApiTokenFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenFilter.class);
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final String BEARER = "Bearer ";

    private final byte[] tokenDigest;

    public ApiTokenFilter(@Value("${sluice.api.token:}") String token) {
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token.strip());
        if (tokenDigest == null) {
            LOG.info("api token not set: mutating requests under /api are not authenticated");
        }
    }

    /** Null to let the request through; a 401 answer otherwise. */
    @RequestFilter
    @Nullable
    public HttpResponse<Problem> authenticate(HttpRequest<?> request) {
        if (tokenDigest == null || !MUTATING.contains(request.getMethod())) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && MessageDigest.isEqual(tokenDigest, sha256(header.substring(BEARER.length()).strip()))) {
            return null;
        }
        LOG.warn("api request rejected method={} path={} reason={}", request.getMethodName(), request.getPath(),
                header == null ? "no Authorization header" : "wrong token");
        return ConnectErrorHandlers.problem(new Problem(401, "Unauthorized", request.getMethodName()
                + " requests under /api need the header 'Authorization: Bearer <token>' with the token "
                + "configured as sluice.api.token", null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
