package dev.sluice.app.tracing;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteInfo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A server span per {@code /api} request when tracing is enabled: method, route template (never the path with its
 * ids, nor the query) and status; a caller's {@code traceparent} header makes it a child of the caller's trace.
 * Ordered right after the security headers, so that requests the token filter refuses are traced too.
 */
@ServerFilter("/api/**")
public class ApiTracingFilter implements Ordered {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final String SPAN = ApiTracingFilter.class.getName() + ".span";

    private final Tracing tracing;

    public ApiTracingFilter(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1;
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        if (!tracing.enabled()) {
            return;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), request.getHeaders(),
                RequestHeaders.INSTANCE);
        Span span = tracing.tracer().spanBuilder(request.getMethodName()).setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, request.getMethodName())
                .startSpan();
        request.setAttribute(SPAN, span);
    }

    @ResponseFilter
    public void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!tracing.enabled()) {
            return;
        }
        request.getAttribute(SPAN, Span.class).ifPresent(span -> {
            String route = RouteAttributes.getRouteInfo(request)
                    .filter(UriRouteInfo.class::isInstance)
                    .map(info -> ((UriRouteInfo<?, ?>) info).getUriMatchTemplate().toPathString())
                    .orElse(null);
            if (route != null) {
                span.updateName(request.getMethodName() + " " + route);
                span.setAttribute(ROUTE, route);
            }
            int status = response.code();
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }

    /** The request's headers as the carrier of a caller's trace context. */
    private enum RequestHeaders implements TextMapGetter<HttpHeaders> {
        INSTANCE;

        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.names();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }
}
