package dev.sluice.app.serde;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The schema registry and how the serdes use it ({@code sluice.registry.*}):
 * <ul>
 * <li>{@code url} (environment {@code SLUICE_REGISTRY_URL}): the registry's base URL or its API v2 URL
 * ({@code .../apis/registry/v2});</li>
 * <li>{@code unknown-id-ttl} (60s): how long a schema id the registry answered 404 for is remembered, so that a
 * flood of records with a bogus id is dead-lettered without asking the registry for each;</li>
 * <li>{@code unknown-id-max} (10000): how many such ids are remembered at most;</li>
 * <li>{@code request-timeout} (2s): connect and answer timeout of one registry call;</li>
 * <li>{@code outage-retry} (5s): how long a lookup retries an unreachable registry (backing off) before the stream
 * thread gives up and is replaced; {@code request-timeout} plus {@code outage-retry} must stay below the
 * exactly-once transaction timeout (10 s by default).</li>
 * </ul>
 */
@ConfigurationProperties("sluice.registry")
public class RegistrySettings {

    static final String API_V2 = "/apis/registry/v2";

    private String url = "http://127.0.0.1:8081";
    private Duration unknownIdTtl = Duration.ofSeconds(60);
    private int unknownIdMax = 10_000;
    private Duration requestTimeout = Duration.ofSeconds(2);
    private Duration outageRetry = Duration.ofSeconds(5);

    public RegistrySettings() {
    }

    public RegistrySettings(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Duration getUnknownIdTtl() {
        return unknownIdTtl;
    }

    public void setUnknownIdTtl(Duration unknownIdTtl) {
        this.unknownIdTtl = unknownIdTtl;
    }

    public int getUnknownIdMax() {
        return unknownIdMax;
    }

    public void setUnknownIdMax(int unknownIdMax) {
        this.unknownIdMax = unknownIdMax;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getOutageRetry() {
        return outageRetry;
    }

    public void setOutageRetry(Duration outageRetry) {
        this.outageRetry = outageRetry;
    }

    /** The registry's API v2 URL. */
    public String apiV2Url() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base.endsWith(API_V2) ? base : base + API_V2;
    }
}
