package dev.sluice.app.tracing;

import java.util.Locale;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of tracing ({@code sluice.tracing.*}, docs/operations.md "Tracing"):
 * <ul>
 * <li>{@code enabled}: spans per stage and per REST request, W3C trace context in the records' headers; default
 * false, and then nothing is parsed, created or written;</li>
 * <li>{@code exporter}: {@code otlp} (default) or {@code none} (spans are made and propagated but not sent);</li>
 * <li>{@code endpoint}: the OTLP collector, default {@code http://localhost:4318/v1/traces};</li>
 * <li>{@code protocol}: {@code http/protobuf} (default) or {@code grpc} (then the endpoint is the collector's gRPC
 * address, e.g. {@code http://localhost:4317});</li>
 * <li>{@code sampler-ratio}: the share of new traces recorded, 0 to 1, default 1; a record that arrives with a
 * trace context follows its parent's decision.</li>
 * </ul>
 */
@ConfigurationProperties("sluice.tracing")
public class TracingSettings {

    public static final String OTLP = "otlp";
    public static final String NONE = "none";
    public static final String HTTP_PROTOBUF = "http/protobuf";
    public static final String GRPC = "grpc";

    private boolean enabled;
    private String exporter = OTLP;
    private String endpoint = "http://localhost:4318/v1/traces";
    private String protocol = HTTP_PROTOBUF;
    private double samplerRatio = 1.0;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getExporter() {
        return exporter;
    }

    public void setExporter(String exporter) {
        String value = exporter.trim().toLowerCase(Locale.ROOT);
        if (!value.equals(OTLP) && !value.equals(NONE)) {
            throw new IllegalArgumentException("sluice.tracing.exporter must be otlp or none, not " + exporter);
        }
        this.exporter = value;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new IllegalArgumentException("sluice.tracing.endpoint must be an http:// or https:// URL, not "
                    + endpoint);
        }
        this.endpoint = endpoint;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        String value = protocol.trim().toLowerCase(Locale.ROOT);
        if (!value.equals(HTTP_PROTOBUF) && !value.equals(GRPC)) {
            throw new IllegalArgumentException("sluice.tracing.protocol must be http/protobuf or grpc, not "
                    + protocol);
        }
        this.protocol = value;
    }

    public double getSamplerRatio() {
        return samplerRatio;
    }

    public void setSamplerRatio(double samplerRatio) {
        if (!(samplerRatio >= 0 && samplerRatio <= 1)) {
            throw new IllegalArgumentException("sluice.tracing.sampler-ratio must be between 0 and 1, not "
                    + samplerRatio);
        }
        this.samplerRatio = samplerRatio;
    }
}
