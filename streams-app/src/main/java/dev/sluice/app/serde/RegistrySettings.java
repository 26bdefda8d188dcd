package dev.sluice.app.serde;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the schema registry is ({@code sluice.registry.url}, environment {@code SLUICE_REGISTRY_URL}). Either the
 * registry's base URL or its API v2 URL ({@code .../apis/registry/v2}) may be given.
 */
@ConfigurationProperties("sluice.registry")
public class RegistrySettings {

    static final String API_V2 = "/apis/registry/v2";

    private String url = "http://127.0.0.1:8081";

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

    /** The API v2 URL the Apicurio serdes need. */
    public String apiV2Url() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base.endsWith(API_V2) ? base : base + API_V2;
    }
}
