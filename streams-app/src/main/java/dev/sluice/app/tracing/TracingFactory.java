package dev.sluice.app.tracing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.inject.Singleton;

/**
 * The one place the app's OpenTelemetry is built, from {@link TracingSettings}. It is not registered as the global
 * OpenTelemetry: the topology and the REST filter get it injected, and nothing else in the app traces.
 */
@Factory
public class TracingFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TracingFactory.class);
    private static final String SERVICE = "sluice-streams-app";

    /** Unless a test registered its own (an SDK with an in-memory exporter). */
    @Singleton
    @Bean(preDestroy = "close")
    @Requires(missingBeans = Tracing.class)
    Tracing tracing(TracingSettings settings) {
        if (!settings.isEnabled()) {
            return Tracing.disabled();
        }
        LOG.info("tracing enabled exporter={} endpoint={} protocol={} samplerRatio={}", settings.getExporter(),
                settings.getEndpoint(), settings.getProtocol(), settings.getSamplerRatio());
        return build(settings);
    }

    /** An SDK that samples new traces at the configured ratio and exports in batches (or not at all). */
    static Tracing build(TracingSettings settings) {
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), SERVICE))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.getSamplerRatio())));
        if (TracingSettings.OTLP.equals(settings.getExporter())) {
            provider.addSpanProcessor(BatchSpanProcessor.builder(exporter(settings)).build());
        }
        SdkTracerProvider tracerProvider = provider.build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return Tracing.owning(sdk, tracerProvider::close);
    }

    private static SpanExporter exporter(TracingSettings settings) {
        if (TracingSettings.GRPC.equals(settings.getProtocol())) {
            return OtlpGrpcSpanExporter.builder().setEndpoint(settings.getEndpoint()).build();
        }
        return OtlpHttpSpanExporter.builder().setEndpoint(settings.getEndpoint()).build();
    }
}
