package dev.sluice.app.connect;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.connect.slots.*}: how the replication slots of the Debezium PostgreSQL connectors are
 * watched (the {@code sluice_cdc_slot_*} metrics) and how long a delete with {@code dropSlot=true} waits for the
 * slot to be released.
 */
@ConfigurationProperties("sluice.connect.slots")
public class SlotConfiguration {

    private boolean metricsEnabled = true;
    private Duration pollInterval = Duration.ofSeconds(30);
    private Duration dropWait = Duration.ofSeconds(30);

    /** Whether the slots are polled for the metrics. */
    public boolean isMetricsEnabled() {
        return metricsEnabled;
    }

    public void setMetricsEnabled(boolean metricsEnabled) {
        this.metricsEnabled = metricsEnabled;
    }

    /**
     * How often every CDC connector's slot is read (one connection per connector and poll, as the connector's role);
     * the metrics show the last poll, not a query per scrape.
     */
    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** How long a delete with {@code dropSlot=true} waits for Connect to stop the task that streams from the slot. */
    public Duration getDropWait() {
        return dropWait;
    }

    public void setDropWait(Duration dropWait) {
        this.dropWait = dropWait;
    }
}
