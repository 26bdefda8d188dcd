package dev.sluice.app.security;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Asks {@link ApiAccess} about every request under {@code /api}: POST, PUT, PATCH and DELETE need the API token,
 * other methods the read token when one is set. The token travels in the {@code Authorization} header, which a
 * cross-site page cannot set without a CORS preflight this service never grants, so a hostile page cannot make a
 * browser on the same machine change anything.
 */
@ServerFilter("/api/**")
public class ApiTokenFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenFilter.class);
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final String BEARER = "Bearer ";

    private final ApiAccess access;

    public ApiTokenFilter(ApiAccess access) {
        this.access = access;
    }

    /** The request's bearer token, null when it has none. */
    public static String bearer(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()) : null;
    }

    /** Null to let the request through; a 401 answer otherwise. */
    @RequestFilter
    @Nullable
    public HttpResponse<Problem> authenticate(HttpRequest<?> request) {
        ApiAccess.Need need = MUTATING.contains(request.getMethod()) ? ApiAccess.Need.WRITE : ApiAccess.Need.READ;
        ApiAccess.Verdict verdict = access.decide(need, bearer(request));
        if (verdict == ApiAccess.Verdict.GRANTED) {
            return null;
        }
        LOG.warn("api request rejected method={} path={} reason={}", request.getMethodName(), request.getPath(),
                verdict == ApiAccess.Verdict.MISSING ? "no bearer token" : "wrong token");
        String needed = need == ApiAccess.Need.WRITE
                ? "the API token (sluice.api.token)" : "the read token (sluice.api.read-token) or the API token";
        return ConnectErrorHandlers.problem(new Problem(401, "Unauthorized", request.getMethodName()
                + " requests under /api need the header 'Authorization: Bearer <token>' with " + needed, null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
    }
}
