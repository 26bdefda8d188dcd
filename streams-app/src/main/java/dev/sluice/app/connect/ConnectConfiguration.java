package dev.sluice.app.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.connect.*}: where the Kafka Connect REST API is and how long to wait for it, and how the
 * config-provider references of connector configs may be resolved in this service (for incremental snapshots).
 */
@ConfigurationProperties("sluice.connect")
public class ConnectConfiguration {

    private String url = "http://127.0.0.1:8083";
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration retryAfter = Duration.ofSeconds(10);
    private String fileAllowedPaths = "";
    private String envAllowlistPattern = "^(?!SLUICE_).*";
    private List<String> allowedClasses = new ArrayList<>(List.of("io.debezium.connector.postgresql.PostgresConnector",
            "dev.sluice.connect.jdbc.JdbcSourceConnector", "dev.sluice.connect.s3.S3ParquetSinkConnector",
            "org.apache.iceberg.connect.IcebergSinkConnector"));
    private List<String> allowedOverrideKeys = new ArrayList<>(List.of("consumer.override.isolation.level"));

    /** Base URL of the Connect REST API, e.g. {@code http://connect:8083}. */
    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    /** How long one request to Connect may take before Connect counts as unavailable (answer 503). */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** The Retry-After of a 503 answer when Connect is unavailable. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /**
     * Comma-separated directories whose files {@code ${file:...}} references may name, as Kafka's
     * FileConfigProvider {@code allowed.paths}; empty allows every path.
     */
    public String getFileAllowedPaths() {
        return fileAllowedPaths;
    }

    public void setFileAllowedPaths(String fileAllowedPaths) {
        this.fileAllowedPaths = fileAllowedPaths;
    }

    /**
     * Regular expression of the environment variables {@code ${env:...}} references may name, as Kafka's
     * EnvVarConfigProvider {@code allowlist.pattern}. The default allows all but this service's own settings
     * ({@code SLUICE_*}, e.g. the API token and the PII hash key), so a connector config cannot make this service
     * send them to the database host it names.
     */
    public String getEnvAllowlistPattern() {
        return envAllowlistPattern;
    }

    public void setEnvAllowlistPattern(String envAllowlistPattern) {
        this.envAllowlistPattern = envAllowlistPattern;
    }

    /**
     * The connector classes {@code /api/connectors} creates (full class names): by default the three the platform
     * ships templates for. Any other plugin on the workers (MirrorMaker, a transform-only test connector) is refused.
     */
    public List<String> getAllowedClasses() {
        return allowedClasses;
    }

    public void setAllowedClasses(List<String> allowedClasses) {
        this.allowedClasses = allowedClasses;
    }

    /**
     * The {@code producer.override.*}, {@code consumer.override.*} and {@code admin.override.*} settings a connector
     * config may carry: by default only the sinks' read_committed isolation. Others would point a connector's
     * Kafka clients elsewhere (another cluster, other credentials).
     */
    public List<String> getAllowedOverrideKeys() {
        return allowedOverrideKeys;
    }

    public void setAllowedOverrideKeys(List<String> allowedOverrideKeys) {
        this.allowedOverrideKeys = allowedOverrideKeys;
    }
}
