package dev.sluice.app.retention;

import java.time.Duration;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * The retention of one topic, overriding its zone's: {@code sluice.compaction.retention.topics.<label>.*}. Labels
 * are free names (topic names hold dots, which configuration keys cannot).
 */
@EachProperty("sluice.compaction.retention.topics")
public class TopicRetentionConfiguration {

    private final String label;
    private String topic;
    private Duration retention;

    public TopicRetentionConfiguration(@Parameter String label) {
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

    /** How long its hour partitions are kept. */
    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }
}
