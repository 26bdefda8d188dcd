package dev.sluice.app.security;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectErrorHandlers;
import dev.sluice.app.connect.Problem;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Answers 403 to a request whose {@code Host} is not one of this service's names ({@link HostAllowlist}): the
 * defence against DNS rebinding, under which a hostile page would otherwise read the API and the console of a
 * service on the visitor's machine as its own origin. Runs before the token check, after the browser protections'
 * filter (so refusals carry them too); created at start, so a malformed allowlist stops the start.
 */
@Context
@ServerFilter("/**")
public class HostHeaderFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(HostHeaderFilter.class);

    private final HostAllowlist allowlist;

    public HostHeaderFilter(ApiAccessConfiguration configuration,
            @Nullable @Value("${kafka.streams.default.application.server:}") String applicationServer) {
        List<String> entries = new ArrayList<>(configuration.getAllowedHosts());
        if (applicationServer != null && !applicationServer.isBlank()) {
            entries.add(HostInfo.buildFromEndpoint(applicationServer.strip()).host());
        }
        this.allowlist = new HostAllowlist(entries);
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1;
    }

    /** Null to let the request through; a 403 answer otherwise. */
    @RequestFilter
    @Nullable
    public HttpResponse<Problem> checkHost(HttpRequest<?> request) {
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (allowlist.allows(host)) {
            return null;
        }
        String shown = host.length() > 100 ? host.substring(0, 100) + "…" : host;
        LOG.warn("request rejected path={} reason=host not allowed", request.getPath());
        return ConnectErrorHandlers.problem(new Problem(403, "Host not allowed", "this service does not answer to "
                + "the host name '" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'; add it to sluice.api.allowed-hosts "
                + "(SLUICE_API_ALLOWED_HOSTS) if it is one of its names", null));
    }
}
