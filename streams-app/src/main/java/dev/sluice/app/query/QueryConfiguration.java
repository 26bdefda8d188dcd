package dev.sluice.app.query;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.query.*} of the interactive queries: how long a request forwarded to another instance may
 * take, what a 503 answer tells clients to wait, and the page sizes.
 */
@ConfigurationProperties("sluice.query")
public class QueryConfiguration {

    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration forwardTimeout = Duration.ofSeconds(5);
    private Duration retryAfter = Duration.ofSeconds(2);
    private int defaultLimit = 100;
    private int maxLimit = 1000;
    private int maxTop = 100;

    /** How long connecting to another instance may take before it counts as unavailable. */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** How long a request forwarded to another instance may take before it counts as unavailable. */
    public Duration getForwardTimeout() {
        return forwardTimeout;
    }

    public void setForwardTimeout(Duration forwardTimeout) {
        this.forwardTimeout = forwardTimeout;
    }

    /** The Retry-After of a 503 answer while a store partition cannot be queried (a rebalance, a restore). */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** Items of a page when the request gives no {@code limit}. */
    public int getDefaultLimit() {
        return defaultLimit;
    }

    public void setDefaultLimit(int defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    /** The largest {@code limit} a request may ask for. */
    public int getMaxLimit() {
        return maxLimit;
    }

    public void setMaxLimit(int maxLimit) {
        this.maxLimit = maxLimit;
    }

    /** The largest {@code n} of a top-N query. */
    public int getMaxTop() {
        return maxTop;
    }

    public void setMaxTop(int maxTop) {
        this.maxTop = maxTop;
    }
}
