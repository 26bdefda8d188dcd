package dev.sluice.app.compaction;

import java.time.Duration;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.compaction.current-state.*} (docs/lake/current-state.md): after compaction, every run
 * publishes for each closed hour of the matching changelog topics the latest row per key, under the prefix's
 * {@code -current} sibling. The lake, hours and file settings are compaction's.
 */
@ConfigurationProperties("sluice.compaction.current-state")
public class CurrentStateConfiguration {

    private boolean enabled;
    private List<String> topics = List.of("gold.*");
    private List<String> keyFields = List.of("__kafka_key");
    private String deletedField = "__deleted";
    private Duration retention = Duration.ofDays(3);
    private long maxKeys = 5_000_000;

    /** Whether runs publish current-state snapshots; off unless configured. */
    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Topic globs of the changelogs to snapshot, under compaction's prefixes. */
    public List<String> getTopics() {
        return topics;
    }

    public void setTopics(List<String> topics) {
        this.topics = topics;
    }

    /** Dotted paths of the fields that identify a row; the Kafka key the sink writes by default. */
    public List<String> getKeyFields() {
        return keyFields;
    }

    public void setKeyFields(List<String> keyFields) {
        this.keyFields = keyFields;
    }

    /** The field whose value true marks a tombstone row. */
    public String getDeletedField() {
        return deletedField;
    }

    public void setDeletedField(String deletedField) {
        this.deletedField = deletedField;
    }

    /** Snapshots whose hour ended longer ago are deleted, except the newest of them. */
    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    /** Most keys (deleted ones included) one snapshot may hold in memory while it is built. */
    public long getMaxKeys() {
        return maxKeys;
    }

    public void setMaxKeys(long maxKeys) {
        this.maxKeys = maxKeys;
    }
}
