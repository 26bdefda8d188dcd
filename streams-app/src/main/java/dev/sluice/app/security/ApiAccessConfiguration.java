package dev.sluice.app.security;

import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.api.*}: who may call the REST API (docs/security.md). Environment variables
 * {@code SLUICE_API_TOKEN}, {@code SLUICE_API_READ_TOKEN}, {@code SLUICE_API_OPEN} and
 * {@code SLUICE_API_ALLOWED_HOSTS} (comma-separated).
 */
@ConfigurationProperties("sluice.api")
public class ApiAccessConfiguration {

    private String token = "";
    private String readToken = "";
    private boolean open;
    private List<String> allowedHosts = new ArrayList<>();

    /** The bearer token every mutating request under {@code /api} needs (and every read, unless a read token is set). */
    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token == null ? "" : token;
    }

    /**
     * A second token that allows reads only. When set, GET requests under {@code /api} need it or the API token;
     * when empty, reads are open.
     */
    public String getReadToken() {
        return readToken;
    }

    public void setReadToken(String readToken) {
        this.readToken = readToken == null ? "" : readToken;
    }

    /**
     * Run the API without any token. Only for a trusted machine; without a token and without this the service
     * refuses to start, so a forgotten token cannot leave the API open.
     */
    public boolean isOpen() {
        return open;
    }

    public void setOpen(boolean open) {
        this.open = open;
    }

    /**
     * Host names requests may carry in their {@code Host} header, besides {@code localhost}, IP addresses and this
     * instance's own {@code application.server} host: exact names, {@code *.suffix} for every name under a domain,
     * or {@code *} for any name (only behind a proxy that checks the host itself).
     */
    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts == null ? new ArrayList<>() : allowedHosts;
    }
}
