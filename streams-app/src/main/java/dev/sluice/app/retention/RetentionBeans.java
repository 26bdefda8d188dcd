package dev.sluice.app.retention;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import dev.sluice.app.compaction.CompactionConfiguration;
import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.LakeSpec;
import dev.sluice.lake.retention.LakeJanitor;
import dev.sluice.lake.retention.RetentionSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake janitor, when both compaction and retention are enabled: it shares compaction's S3 client, bucket and
 * time zone, and takes compaction's closed delay as its open-hour guard. A dataset specification's
 * {@code lake.retention} is the retention of its topics in its lake zones, unless
 * {@code sluice.compaction.retention.topics} names them (counted from the next start, like the rest of a
 * specification). Invalid settings stop the service at start with a message naming the key.
 */
@Factory
@Requires(property = "sluice.compaction.enabled", value = "true")
@Requires(property = "sluice.compaction.retention.enabled", value = "true")
class RetentionBeans {

    private static final String KEY = "sluice.compaction.retention.";

    @Singleton
    LakeJanitor lakeJanitor(@Named("compaction") S3Client s3, CompactionConfiguration compaction,
            RetentionConfiguration retention, Collection<TopicRetentionConfiguration> topics,
            DatasetDirectory datasets, Clock clock) {
        return new LakeJanitor(s3, settings(compaction, retention, topics, datasetRetention(datasets)), clock);
    }

    /** The lake retention of each topic a dataset specification puts in the lake with a retention of its own. */
    static Map<String, Duration> datasetRetention(DatasetDirectory datasets) {
        Map<String, Duration> retention = new HashMap<>();
        for (DatasetSpec spec : datasets.load().values()) {
            spec.lake().ifPresent(lake -> lake.retention().ifPresent(duration -> lake.zones().forEach(zone ->
                    retention.put(zone == LakeSpec.Zone.BRONZE ? spec.source().topic() : spec.silver().topic(),
                            duration))));
        }
        return retention;
    }

    /** The janitor's settings from the service's configuration. */
    static RetentionSettings settings(CompactionConfiguration compaction, RetentionConfiguration retention,
            Collection<TopicRetentionConfiguration> topics, Map<String, Duration> datasetRetention) {
        Map<String, Duration> overrides = new HashMap<>(datasetRetention);
        for (TopicRetentionConfiguration topic : topics) {
            String key = KEY + "topics." + topic.getLabel();
            if (topic.getTopic() == null || topic.getTopic().isBlank()) {
                throw new ConfigurationException(key + ".topic must name a topic");
            }
            if (topic.getRetention() == null) {
                throw new ConfigurationException(key + ".retention must be set, e.g. 30d");
            }
            overrides.put(topic.getTopic().strip(), topic.getRetention());
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(compaction.getTimezone());
        } catch (DateTimeException e) {
            throw new ConfigurationException("sluice.compaction.timezone '" + compaction.getTimezone()
                    + "' is not a time zone");
        }
        try {
            return new RetentionSettings(compaction.getBucket(), zone, retention.getZones(), overrides,
                    compaction.getClosedDelay(), retention.getMultipartMaxAge());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEY + e.getMessage());
        }
    }
}
