package dev.sluice.app.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Browser protections on every answer of the API and the console: the console's page may only load its own
 * scripts, styles and API (no inline script, nothing from elsewhere), may not be framed (clickjacking), and no
 * answer is content-sniffed into something executable or leaks its URL as a referrer. The console is static HTML,
 * CSS and JavaScript files of the app itself, so the policy costs it nothing.
 */
@ServerFilter("/**")
public class SecurityHeadersFilter implements Ordered {

    /** First of all filters, so that answers other filters give (refusals) carry the headers too. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @ResponseFilter
    public void addHeaders(MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
    }
}
