package dev.sluice.app.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;

/** {@code sluice.tracing.*} as the service binds it: off by default, on when enabled, a wrong value names its key. */
class TracingSettingsTest {

    @Test
    void theShippedConfigurationLeavesTracingOff() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", "false"))) {
            TracingSettings settings = context.getBean(TracingSettings.class);
            assertFalse(settings.isEnabled());
            assertEquals("otlp", settings.getExporter());
            assertEquals("http/protobuf", settings.getProtocol());
            assertEquals("http://localhost:4318/v1/traces", settings.getEndpoint());
            assertSame(Tracing.disabled(), context.getBean(Tracing.class), "the no-op: nothing built, nothing sent");
        }
    }

    @Test
    void enabledBuildsAnSdkAndAWrongValueNamesItsKey() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", "false",
                "sluice.tracing.enabled", "true", "sluice.tracing.protocol", "grpc",
                "sluice.tracing.endpoint", "http://collector:4317", "sluice.tracing.sampler-ratio", "0.25"))) {
            Tracing tracing = context.getBean(Tracing.class);
            assertTrue(tracing.enabled());
            assertTrue(tracing.tracer().spanBuilder("probe").startSpan().getSpanContext().isValid(),
                    "an SDK tracer, not the no-op");
        }
        try (ApplicationContext context = ApplicationContext.run(Map.of("kafka.enabled", "false",
                "sluice.tracing.exporter", "jaeger"))) {
            BeanInstantiationException e = assertThrows(BeanInstantiationException.class,
                    () -> context.getBean(TracingSettings.class));
            assertTrue(e.getMessage().contains("sluice.tracing.exporter"), e.getMessage());
        }
    }
}
