package dev.sluice.app.compaction;

import java.util.List;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * One topic compacted in snapshot mode, {@code sluice.compaction.snapshots.<label>.*}: only the latest row per key
 * is kept. Labels are free names (topic names hold dots, which configuration keys cannot).
 */
@EachProperty("sluice.compaction.snapshots")
public class SnapshotTopicConfiguration {

    private final String label;
    private String topic;
    private List<String> keyFields = List.of();
    private String deletedField = "__deleted";
    private boolean keepDeleteMarkers;

    public SnapshotTopicConfiguration(@Parameter String label) {
        this.label = label;
    }

    /** The label of this entry. */
    public String getLabel() {
        return label;
    }

    /** The topic. */
    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    /** Dotted paths of the fields that identify a row. */
    public List<String> getKeyFields() {
        return keyFields;
    }

    public void setKeyFields(List<String> keyFields) {
        this.keyFields = keyFields;
    }

    /** The field whose value "true" marks a delete. */
    public String getDeletedField() {
        return deletedField;
    }

    public void setDeletedField(String deletedField) {
        this.deletedField = deletedField;
    }

    /** Keep the delete row as a key's latest version instead of dropping the key. */
    public boolean isKeepDeleteMarkers() {
        return keepDeleteMarkers;
    }

    public void setKeepDeleteMarkers(boolean keepDeleteMarkers) {
        this.keepDeleteMarkers = keepDeleteMarkers;
    }
}
