package dev.sluice.app.status;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of the status API ({@code sluice.status.*}): {@code cache-ttl}, how long an answer that asked the other
 * instances, the Kafka admin API or Kafka Connect is reused (instances, lag, connectors), default 1s; 0 computes
 * each request anew (concurrent requests still share one computation).
 */
@ConfigurationProperties("sluice.status")
public class StatusSettings {

    private Duration cacheTtl = Duration.ofSeconds(1);

    public Duration getCacheTtl() {
        return cacheTtl;
    }

    public void setCacheTtl(Duration cacheTtl) {
        if (cacheTtl == null || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("sluice.status.cache-ttl: must be zero or positive");
        }
        this.cacheTtl = cacheTtl;
    }
}
