package dev.sluice.app.retention;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.sluice.lake.retention.RetentionSettings;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.compaction.retention.*} of the lake janitor (docs/lake/retention.md), which runs after
 * every compaction run and on request, with compaction's S3 client, bucket and time zone. Per-topic overrides are
 * {@link TopicRetentionConfiguration}.
 */
@ConfigurationProperties("sluice.compaction.retention")
public class RetentionConfiguration {

    private boolean enabled;
    private boolean dryRun;
    private Map<String, Duration> zones = Map.of();
    private Duration multipartMaxAge = RetentionSettings.DEFAULT_MULTIPART_MAX_AGE;
    private int historySize = 20;

    /** Whether the janitor runs at all; needs compaction enabled. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Runs that start with compaction only report what they would delete. */
    public boolean isDryRun() {
        return dryRun;
    }

    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /**
     * Retention per zone prefix: the defaults (bronze 90d, silver 365d, gold 2557d), with the configured entries
     * replacing or adding to them. Binding a map replaces it whole, so the defaults are merged here.
     */
    public Map<String, Duration> getZones() {
        Map<String, Duration> merged = new TreeMap<>(RetentionSettings.DEFAULT_ZONES);
        merged.putAll(zones);
        return merged;
    }

    public void setZones(Map<String, Duration> zones) {
        this.zones = zones;
    }

    /** Incomplete multipart uploads started longer ago than this are aborted. */
    public Duration getMultipartMaxAge() {
        return multipartMaxAge;
    }

    public void setMultipartMaxAge(Duration multipartMaxAge) {
        this.multipartMaxAge = multipartMaxAge;
    }

    /** How many finished runs {@code GET /api/lake/retention} remembers. */
    public int getHistorySize() {
        return historySize;
    }

    public void setHistorySize(int historySize) {
        this.historySize = historySize;
    }
}
