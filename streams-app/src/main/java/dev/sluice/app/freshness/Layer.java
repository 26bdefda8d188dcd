package dev.sluice.app.freshness;

import java.util.Locale;

/** Where a record's freshness is measured; the {@code layer} tag of {@value FreshnessMetrics#NAME}. */
public enum Layer {
    /** streams-app read the bronze record: its Kafka timestamp minus its source time. */
    BRONZE,
    /** streams-app wrote the silver record: the wall clock then minus the source time. */
    SILVER,
    /** streams-app wrote the gold record: the wall clock then minus the source time of the input that updated it. */
    GOLD,
    /**
     * The S3 sink published the file holding the record: per partition and offset commit of a lake sink, its worst
     * record ({@link dev.sluice.app.status.LakeFreshnessReader}).
     */
    LAKE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
