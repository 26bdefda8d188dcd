package dev.sluice.app.topology;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Names and sizing of the topics the topology reads and writes, from {@code sluice.topics.*} in
 * application.yml. Names follow {@code bronze.<source>.<entity>}, {@code silver.<entity>}, {@code gold.<aggregate>}
 * and {@code dlq.<stage>}.
 */
@ConfigurationProperties("sluice.topics")
public class PipelineTopics {

    private String userEvents = "bronze.events.user_events";
    private String silverUserEvents = "silver.user_events";
    private String dlq = "dlq.streams";
    private int partitions = 3;

    public String getUserEvents() {
        return userEvents;
    }

    public void setUserEvents(String userEvents) {
        this.userEvents = userEvents;
    }

    public String getSilverUserEvents() {
        return silverUserEvents;
    }

    public void setSilverUserEvents(String silverUserEvents) {
        this.silverUserEvents = silverUserEvents;
    }

    public String getDlq() {
        return dlq;
    }

    public void setDlq(String dlq) {
        this.dlq = dlq;
    }

    /** Partitions of topics this app creates when they are missing. */
    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }
}
